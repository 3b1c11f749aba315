using System.Collections.Concurrent;
using Google.Protobuf;
using Parley.Client.Errors;
using Parley.Client.Messaging;
using Parley.Client.Relay;
using Parley.Wire;

namespace Parley.Client.Conversations;

/// <summary>
/// Unacknowledged outgoing messages: each is stored with its encrypted frame before anything goes on
/// the wire, and sent on every connection until the server gives a verdict. One flush at a time;
/// the store is touched only while holding the profile's gate, never while waiting for the server.
/// Senders can wait for the verdict on their own message (<see cref="Watch"/>).
/// </summary>
internal sealed class Outbox : IDisposable
{
    private readonly ProfileContext _context;
    private readonly SemaphoreSlim _flushLock = new(1, 1);
    private readonly ConcurrentDictionary<MessageId, TaskCompletionSource<ClientErrorKind?>> _watchers = new();

    public Outbox(ProfileContext context) => _context = context;

    /// <summary>
    /// Returns a task that completes with the server's verdict on <paramref name="id"/> (null: stored
    /// by the server; otherwise why it was refused) the next time a flush sends it.
    /// </summary>
    public Task<ClientErrorKind?> Watch(MessageId id) =>
        _watchers.GetOrAdd(id, _ => new TaskCompletionSource<ClientErrorKind?>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Unwatch(MessageId id) => _watchers.TryRemove(id, out _);

    /// <summary>Sends every pending frame and records each verdict.</summary>
    /// <exception cref="ParleyClientException"><see cref="ClientErrorKind.ServerUnreachable"/> when the connection fails midway.</exception>
    public async Task FlushAsync(RelayLink link, CancellationToken cancellationToken)
    {
        await _flushLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pending = await _context.Locked(() => _context.Store.PendingOutbox(), cancellationToken).ConfigureAwait(false);
            foreach (var (id, payload) in pending)
            {
                if (!TryParse(payload, out var send))
                {
                    await _context.Locked(() => _context.Store.DiscardOutgoing(id), cancellationToken).ConfigureAwait(false);
                    Complete(id, ClientErrorKind.ProtocolViolation);
                    continue;
                }

                var result = await link.SendAsync(send, cancellationToken).ConfigureAwait(false);
                var verdict = await _context.Locked(() => Apply(id, result.Status), cancellationToken).ConfigureAwait(false);
                Complete(id, verdict);
            }
        }
        finally
        {
            _flushLock.Release();
        }
    }

    public void Dispose() => _flushLock.Dispose();

    /// <summary>Records the server's verdict on one frame; returns the error for failures (gate held).</summary>
    private ClientErrorKind? Apply(MessageId id, SendStatus status)
    {
        switch (status)
        {
            case SendStatus.Accepted:
            case SendStatus.DuplicateAccepted:
                _context.Store.MarkAcknowledged(id);
                return null;
            case SendStatus.NotAContact:
            case SendStatus.UnknownRecipient:
            case SendStatus.Blocked:
                _context.Store.DiscardOutgoing(id);
                return ClientErrorKind.NotAContact;
            case SendStatus.TooLarge:
            case SendStatus.Invalid:
                _context.Store.DiscardOutgoing(id);
                return ClientErrorKind.ProtocolViolation;
            default:
                return ClientErrorKind.Refused; // rate limit, queue full, try again: stays in the outbox
        }
    }

    private void Complete(MessageId id, ClientErrorKind? verdict)
    {
        if (_watchers.TryRemove(id, out var watcher))
        {
            watcher.TrySetResult(verdict);
        }
    }

    private static bool TryParse(byte[] payload, out Send send)
    {
        try
        {
            send = Send.Parser.ParseFrom(payload);
            return true;
        }
        catch (InvalidProtocolBufferException)
        {
            send = null!;
            return false;
        }
    }
}
