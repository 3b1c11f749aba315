using System.Buffers;
using System.Net.WebSockets;
using Google.Protobuf;
using Parley.Server.Presence;
using Parley.Wire;
using Parley.Wire.Relay;

namespace Parley.Server.Relay;

/// <summary>
/// The life of one relay socket: queue drain, receive loop, presence (frames out go through the
/// connection's outbound queue, which needs no loop of its own). A protocol violation closes only this socket, with a generic reason on the wire (1009 too big, 1003 text frame, 1008
/// unparsable frame); details stay in the log.
/// </summary>
public sealed partial class RelaySession
{
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);
    private readonly RelayConnection _connection;
    private readonly MessageDelivery _delivery;
    private readonly MessageSender _sender;
    private readonly PresenceService _presence;
    private readonly RelayMetrics _metrics;
    private readonly ILogger _logger;

    /// <summary>Creates the session of an accepted connection.</summary>
    public RelaySession(RelayConnection connection, MessageDelivery delivery, MessageSender sender, PresenceService presence,
        RelayMetrics metrics, ILogger<RelaySession> logger)
    {
        _connection = connection;
        _delivery = delivery;
        _sender = sender;
        _presence = presence;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Runs until the client closes, the socket fails or the request is aborted.</summary>
    public async Task RunAsync(CancellationToken aborted)
    {
        _connection.Aborted = aborted;
        _metrics.Connected();
        (WebSocketCloseStatus Status, string Reason)? violation = null;
        try
        {
            var connect = ConnectAsync(aborted);
            violation = await ReceiveLoopAsync(aborted);
            await connect;
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException)
        {
            LogSocketEnded(_logger, exception.GetType().Name);
        }
        finally
        {
            _metrics.Disconnected();
            if (_delivery.Disconnect(_connection))
            {
                await AnnounceAsync(online: false);
            }

            await CloseAsync(_connection.StopSending(), violation);
        }
    }

    private async Task ConnectAsync(CancellationToken aborted)
    {
        await _delivery.ConnectAsync(_connection, aborted);
        await AnnounceAsync(online: true);
    }

    private async Task AnnounceAsync(bool online)
    {
        try
        {
            await _presence.AnnounceAsync(_connection.AccountId, _connection.Username, online, CancellationToken.None);
        }
#pragma warning disable CA1031 // Presence is best effort; a failed announcement must not tear down the socket.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogSocketEnded(_logger, exception.GetType().Name);
        }
    }

    private async Task<(WebSocketCloseStatus, string)?> ReceiveLoopAsync(CancellationToken aborted)
    {
        while (true)
        {
            var (status, buffer, length) = await FrameReader.ReadAsync(_connection.Socket, aborted);
            switch (status)
            {
                case FrameReadStatus.Closed:
                    return null;
                case FrameReadStatus.TooLarge:
                    LogViolation(_logger, "frame over the size cap");
                    return (WebSocketCloseStatus.MessageTooBig, "frame too large");
                case FrameReadStatus.NotBinary:
                    LogViolation(_logger, "text frame");
                    return (WebSocketCloseStatus.InvalidMessageType, "binary frames only");
            }

            ClientFrame frame;
            try
            {
                frame = ClientFrame.Parser.ParseFrom(buffer.AsSpan(0, length));
            }
            catch (InvalidProtocolBufferException)
            {
                LogViolation(_logger, "unparsable frame");
                return (WebSocketCloseStatus.PolicyViolation, "invalid frame");
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer!);
            }

            if (frame.KindCase == ClientFrame.KindOneofCase.AckBatch && !MessageIdList.IsValid(frame.AckBatch.MessageIds.Span))
            {
                LogViolation(_logger, "malformed ack batch");
                return (WebSocketCloseStatus.PolicyViolation, "invalid frame");
            }

            await DispatchAsync(frame, aborted);
        }
    }

    private ValueTask DispatchAsync(ClientFrame frame, CancellationToken aborted)
    {
        switch (frame.KindCase)
        {
            case ClientFrame.KindOneofCase.Send:
                return _sender.SendAsync(_connection, frame.Send, aborted);
            case ClientFrame.KindOneofCase.Ack:
                _delivery.Acknowledge(_connection, frame.Ack);
                return ValueTask.CompletedTask;
            case ClientFrame.KindOneofCase.AckBatch:
                _delivery.Acknowledge(_connection, frame.AckBatch.MessageIds.Span);
                return ValueTask.CompletedTask;
            case ClientFrame.KindOneofCase.Capabilities:
                if (frame.Capabilities.SendResultBatch)
                {
                    _connection.EnableResultBatches();
                }

                return ValueTask.CompletedTask;
            case ClientFrame.KindOneofCase.PresenceQuery:
                return new ValueTask(_presence.QueryAsync(_connection, frame.PresenceQuery, aborted));
            case ClientFrame.KindOneofCase.Ping:
                _connection.Enqueue(new ServerFrame { Pong = new Pong { Nonce = frame.Ping.Nonce } });
                return ValueTask.CompletedTask;
            default:
                // A kind this server does not know (a newer client): ignored, per the stability rule.
                return ValueTask.CompletedTask;
        }
    }

    private async Task CloseAsync(Task sendsFinished, (WebSocketCloseStatus Status, string Reason)? violation)
    {
        var socket = _connection.Socket;
        try
        {
            await sendsFinished.WaitAsync(CloseGrace);
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                var (status, reason) = violation ?? (WebSocketCloseStatus.NormalClosure, string.Empty);
                using var timeout = new CancellationTokenSource(CloseGrace);
                await socket.CloseOutputAsync(status, reason, timeout.Token);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or TimeoutException or IOException or ObjectDisposedException)
        {
            socket.Abort();
        }
    }

    [LoggerMessage(EventId = 4020, Level = LogLevel.Debug, Message = "Relay socket ended: {Reason}")]
    private static partial void LogSocketEnded(ILogger logger, string reason);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Information, Message = "Relay socket closed for a protocol violation: {Violation}")]
    private static partial void LogViolation(ILogger logger, string violation);
}
