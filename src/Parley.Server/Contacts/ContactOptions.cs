namespace Parley.Server.Contacts;

/// <summary>Configuration section <c>Contacts</c>.</summary>
public sealed class ContactOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Contacts";

    /// <summary>
    /// Contact requests one account may send per hour (known and unknown names alike): a request is the
    /// one answer that tells an existing username from an unknown one, so it is the one that is rationed.
    /// </summary>
    public int RequestsPerRequesterPerHour { get; set; } = 30;
}
