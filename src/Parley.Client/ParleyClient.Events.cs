using Parley.Client.Contacts;
using Parley.Client.Errors;
using Parley.Client.Profiles;
using Parley.Client.Relay;
using Parley.Wire;

namespace Parley.Client;

/// <summary>Contact events from the server, identity-key changes, and messages held back by a key change.</summary>
public sealed partial class ParleyClient
{
    private async Task HandleContactEventAsync(ContactEvent e, Action<ClientEvent> emit, CancellationToken cancellationToken)
    {
        if (!UserName.TryParse(e.From, out var from))
        {
            return;
        }

        var peer = from.Value;
        var contact = _store.GetContact(peer) ?? new Contact { UserName = peer, State = ContactState.None };
        ClientEventKind? kind = e.Kind switch
        {
            ContactEventKind.Request => ClientEventKind.ContactRequest,
            ContactEventKind.Accepted => ClientEventKind.ContactAccepted,
            ContactEventKind.Declined => ClientEventKind.ContactDeclined,
            ContactEventKind.Cancelled or ContactEventKind.Removed => ClientEventKind.ContactRemoved,
            _ => null,
        };
        if (kind is null)
        {
            return;
        }

        contact.State = kind switch
        {
            ClientEventKind.ContactRequest => contact.State == ContactState.Accepted ? ContactState.Accepted : ContactState.RequestReceived,
            ClientEventKind.ContactAccepted => ContactState.Accepted,
            _ => ContactState.None,
        };
        var note = e.Note is { Length: > 0 and <= Parley.Wire.Rest.ContactRequestBody.MaxNoteLength } ? e.Note : null;
        if (kind == ClientEventKind.ContactRequest)
        {
            contact.Note = note;
        }

        _store.PutContact(contact);
        emit(new ClientEvent { Kind = kind.Value, Peer = peer, Note = kind == ClientEventKind.ContactRequest ? note : null });

        // A returning contact (new request or acceptance) may come back with a new device identity:
        // check it now, so the warning comes before anything is sent to the old one.
        if (kind is ClientEventKind.ContactRequest or ClientEventKind.ContactAccepted && contact.IdentityKey is not null)
        {
            await CheckIdentityAsync(peer, emit, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Looks up the contact's current identity on the server and records a change.</summary>
    private async Task CheckIdentityAsync(string peer, Action<ClientEvent> emit, CancellationToken cancellationToken)
    {
        try
        {
            var bundle = await FetchBundleAsync(peer, cancellationToken).ConfigureAwait(false);
            if (IdentityPins.Observe(_store, peer, bundle.IdentityKey.Serialize()) == IdentityObservation.Changed)
            {
                emit(new ClientEvent { Kind = ClientEventKind.KeyChanged, Peer = peer });
            }
        }
        catch (ParleyClientException e) when (e.Kind is ClientErrorKind.NotAContact or ClientErrorKind.UserDoesNotExist or ClientErrorKind.ProtocolViolation or ClientErrorKind.Refused)
        {
            // No usable bundle (yet): the check happens again when a message or a send needs the key.
        }
    }

    private async Task RecordKeyChangeAsync(string peer, Action<ClientEvent> emit, CancellationToken cancellationToken)
    {
        var before = _store.GetContact(peer)?.KeyChanged ?? false;
        await CheckIdentityAsync(peer, emit, cancellationToken).ConfigureAwait(false);
        var contact = _store.GetContact(peer);
        if (!before && contact is not null && !contact.KeyChanged)
        {
            // The server's bundle still shows the pinned key, yet a message came under another: treat
            // it as a change all the same (the server may be hiding the new key from us).
            contact.ChangedIdentityKey = [];
            contact.Verified = false;
            _store.PutContact(contact);
            emit(new ClientEvent { Kind = ClientEventKind.KeyChanged, Peer = peer });
        }
    }

    /// <summary>After a key was trusted again, decrypts the messages that arrived under it.</summary>
    private async Task ReleaseHeldAsync(RelayPump pump, Action<ClientEvent> emit, CancellationToken cancellationToken)
    {
        foreach (var (tag, raw) in _store.ListSecrets(HeldSpace))
        {
            Deliver deliver;
            try
            {
                deliver = Deliver.Parser.ParseFrom(raw);
            }
            catch (Google.Protobuf.InvalidProtocolBufferException)
            {
                _store.RemoveSecretByTag(HeldSpace, tag);
                continue;
            }

            if (_store.GetContact(deliver.Sender) is { KeyChanged: true })
            {
                continue;
            }

            _store.RemoveSecretByTag(HeldSpace, tag);
            await HandleDeliverAsync(deliver, pump, _ => true, emit, cancellationToken).ConfigureAwait(false);
        }
    }
}
