using Parley.Client.Profiles;
using Parley.Daemon.Api;

namespace Parley.Daemon.Profiles;

/// <summary>
/// The <c>settings</c> method: a profile's user-interface choices, kept in its settings file (0600)
/// so every page the daemon serves, now or after a restart, behaves the same.
/// </summary>
internal static class ProfilePreferences
{
    private static readonly Lock Gate = new();

    public static SettingsResult Apply(ParleyHome home, string user, SettingsParams p)
    {
        var profile = home.GetProfile(UserName.Parse(user));
        lock (Gate) // one read-modify-write at a time: two pages changing settings never lose one
        {
            var settings = profile.ReadSettings();
            if (p.NotificationPreviews is { } previews && previews != settings.NotificationPreviews)
            {
                settings.NotificationPreviews = previews;
                profile.WriteSettings(settings);
            }

            return new SettingsResult { NotificationPreviews = settings.NotificationPreviews };
        }
    }
}
