using Parley.Client;
using Parley.Client.Contacts;
using Parley.Client.Errors;
using Parley.Client.Profiles;

namespace Parley.Cli.Commands;

/// <summary>
/// The check <c>history</c>, <c>chat</c> and <c>verify</c> make before anything else, so a
/// stranger's name gets the same sentence and exit code as <c>send</c> gives.
/// </summary>
internal static class ContactCheck
{
    /// <summary>Throws <see cref="ClientErrorKind.NotAContact"/> unless <paramref name="peer"/> is an accepted contact (asking the server when the local list does not say so).</summary>
    public static async Task RequireContactAsync(ParleyClient client, string peer, CancellationToken ct)
    {
        var name = UserName.Parse(peer).Value;
        if (IsContact(await client.Contacts.ListAsync(ct).ConfigureAwait(false), name))
        {
            return;
        }

        try
        {
            if (IsContact(await client.Contacts.RefreshAsync(ct).ConfigureAwait(false), name))
            {
                return;
            }
        }
        catch (ParleyClientException e) when (e.Kind == ClientErrorKind.ServerUnreachable)
        {
            // Offline: the local list is all there is.
        }

        throw new ParleyClientException(ClientErrorKind.NotAContact);
    }

    /// <summary>Requires a contact unless this profile has known <paramref name="peer"/> (a former contact's history and keys stay readable).</summary>
    public static async Task RequireKnownAsync(ParleyClient client, string peer, CancellationToken ct)
    {
        var name = UserName.Parse(peer).Value;
        if (!(await client.Contacts.ListAsync(ct).ConfigureAwait(false)).Any(c => c.UserName == name))
        {
            await RequireContactAsync(client, peer, ct).ConfigureAwait(false);
        }
    }

    private static bool IsContact(IEnumerable<Contact> contacts, string name) => contacts.Any(c => c.UserName == name && c.State == ContactState.Accepted);
}
