using System.Collections.Concurrent;
using Google.Protobuf;
using Parley.Client.Errors;
using Parley.Wire;
using Parley.Wire.Relay;

namespace Parley.Client.Relay;

/// <summary>
/// Reads frames from a <see cref="RelayConnection"/> on one loop: results of our sends complete the
/// waiting sender; everything else (deliveries, contact events, presence, queue-empty) goes to the
/// handler, one frame at a time and in order, so a delivery is stored before the next is looked at.
/// </summary>
internal sealed class RelayPump
{
    private readonly RelayConnection _connection;
    private readonly Func<ServerFrame, Task> _onIncoming;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<SendResult>> _waiting = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _queueEmpty = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RelayPump(RelayConnection connection, Func<ServerFrame, Task> onIncoming)
    {
        _connection = connection;
        _onIncoming = onIncoming;
    }

    /// <summary>Completes when the server said the offline queue is drained.</summary>
    public Task QueueEmpty => _queueEmpty.Task;

    public RelayConnection Connection => _connection;

    /// <summary>Runs until the server closes the socket or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Results may come batched from now on (PROTOCOL.md 10.7); single SendResults stay understood.
            await _connection.SendAsync(new ClientFrame { Capabilities = new Capabilities { SendResultBatch = true } }, cancellationToken)
                .ConfigureAwait(false);
            while (!cancellationToken.IsCancellationRequested)
            {
                var frame = await _connection.ReceiveAsync(cancellationToken).ConfigureAwait(false);
                if (frame is null)
                {
                    break;
                }

                switch (frame.KindCase)
                {
                    case ServerFrame.KindOneofCase.SendResult:
                        Complete(frame.SendResult);
                        break;
                    case ServerFrame.KindOneofCase.SendResultBatch:
                        CompleteBatch(frame.SendResultBatch);
                        break;
                    case ServerFrame.KindOneofCase.QueueEmpty:
                        _queueEmpty.TrySetResult();
                        await _onIncoming(frame).ConfigureAwait(false);
                        break;
                    default:
                        await _onIncoming(frame).ConfigureAwait(false);
                        break;
                }
            }
        }
        finally
        {
            var closed = new ParleyClientException(ClientErrorKind.ServerUnreachable);
            foreach (var waiter in _waiting.Values)
            {
                waiter.TrySetException(closed);
            }

            _queueEmpty.TrySetException(closed);
        }
    }

    /// <summary>Sends an envelope and waits for the server's verdict on it.</summary>
    public async Task<SendResult> SendAndWaitAsync(Send send, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource<SendResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var key = Key(send.MessageId);
        _waiting[key] = waiter;
        await _connection.SendAsync(new ClientFrame { Send = send }, cancellationToken).ConfigureAwait(false);
        try
        {
            return await waiter.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            _waiting.TryRemove(key, out _);
            throw new ParleyClientException(ClientErrorKind.ServerUnreachable, e);
        }
    }

    /// <summary>Sends an envelope without waiting (receipts, typing): losing one is harmless.</summary>
    public Task SendAndForgetAsync(Send send, CancellationToken cancellationToken) =>
        _connection.SendAsync(new ClientFrame { Send = send }, cancellationToken);

    /// <summary>Acknowledges a stored delivery or contact event.</summary>
    public Task AckAsync(ByteString messageId, string sender, CancellationToken cancellationToken) =>
        _connection.SendAsync(new ClientFrame { Ack = new Ack { MessageId = messageId, Sender = sender } }, cancellationToken);

    private void Complete(SendResult result)
    {
        if (_waiting.TryRemove(Key(result.MessageId), out var waiter))
        {
            waiter.TrySetResult(result);
        }
    }

    private void CompleteBatch(SendResultBatch batch)
    {
        var accepted = batch.AcceptedIds.Span;
        if (!MessageIdList.IsValid(accepted, allowEmpty: true))
        {
            throw new ParleyClientException(ClientErrorKind.ProtocolViolation);
        }

        for (var i = 0; i < MessageIdList.Count(accepted); i++)
        {
            Complete(new SendResult { MessageId = ByteString.CopyFrom(MessageIdList.At(accepted, i)), Status = SendStatus.Accepted });
        }

        foreach (var result in batch.Others)
        {
            Complete(result);
        }
    }

    private static string Key(ByteString id) => Convert.ToHexString(id.Span);
}
