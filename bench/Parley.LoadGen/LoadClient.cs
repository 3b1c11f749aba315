using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.Channels;
using Google.Protobuf;
using Parley.Wire;
using Parley.Wire.Relay;

namespace Parley.LoadGen;

/// <summary>
/// One authenticated socket with the real framing: a single send loop (WebSocket allows one writer),
/// a receive loop that records results and deliveries and acknowledges every delivery at once.
/// </summary>
internal sealed class LoadClient
{
    /// <summary>Marker in the outbound channel: "send the gathered acks now".</summary>
    private static readonly byte[] FlushAcks = [];
    private readonly List<ByteString> _acks = [];
    private readonly bool _batch;
    private readonly Channel<byte[]> _outbound = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _queueEmpty = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ClientWebSocket _socket;
    private readonly LoadClient[] _all;
    private readonly byte[] _idPrefix;
    private Task _loops = Task.CompletedTask;

    public LoadClient(int index, ClientWebSocket socket, LoadClient[] all, byte[] runId, int windowSize, bool batch, MessageLedger? ledger = null)
    {
        _batch = batch;
        Ledger = ledger ?? new MessageLedger();
        Index = index;
        _socket = socket;
        _all = all;
        _idPrefix = runId;
        Window = new SemaphoreSlim(windowSize);
    }

    public int Index { get; }

    public string PartnerName { get; set; } = "";

    public MessageLedger Ledger { get; }

    /// <summary>Completes when the receive loop ended (the server closed or dropped the socket).</summary>
    public Task Closed { get; private set; } = Task.CompletedTask;

    public SemaphoreSlim Window { get; }

    public List<long> DeliveryLatencies { get; } = [];

    public List<long> AcceptLatencies { get; } = [];

    public int Refused;

    public Task QueueEmpty => _queueEmpty.Task;

    /// <summary>Forgets the latencies recorded so far (the next phase reports its own).</summary>
    public void ResetLatencies()
    {
        lock (DeliveryLatencies)
        {
            DeliveryLatencies.Clear();
        }

        lock (AcceptLatencies)
        {
            AcceptLatencies.Clear();
        }
    }

    public void Start()
    {
        if (_batch)
        {
            _outbound.Writer.TryWrite(new ClientFrame { Capabilities = new Capabilities { SendResultBatch = true } }.ToByteArray());
        }

        var receive = Task.Run(ReceiveLoopAsync);
        Closed = receive.ContinueWith(_ => { }, TaskScheduler.Default);
        _loops = Task.WhenAll(Task.Run(SendLoopAsync), receive);
    }

    public void Send(int payloadBytes) => Send(Ledger.NextSequence(), payloadBytes);

    /// <summary>Sends (or, after a reconnect, re-sends with the same id) the message with this sequence.</summary>
    public void Send(int sequence, int payloadBytes)
    {
        var id = new byte[16];
        _idPrefix.AsSpan(0, 8).CopyTo(id);
        BinaryPrimitives.WriteInt32BigEndian(id.AsSpan(8), Index);
        BinaryPrimitives.WriteInt32BigEndian(id.AsSpan(12), sequence);
        var payload = new byte[payloadBytes];
        BinaryPrimitives.WriteInt64LittleEndian(payload, Stopwatch.GetTimestamp());
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(8), Index);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(12), sequence);
        var frame = new ClientFrame
        {
            Send = new Send
            {
                MessageId = UnsafeByteOperations.UnsafeWrap(id),
                Recipient = PartnerName,
                Type = EnvelopeType.RatchetMessage,
                Ciphertext = UnsafeByteOperations.UnsafeWrap(payload),
            },
        };
        _outbound.Writer.TryWrite(frame.ToByteArray());
    }

    public async Task CloseAsync()
    {
        _outbound.Writer.TryComplete();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _loops.WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (Exception exception) when (exception is TimeoutException or WebSocketException or OperationCanceledException)
        {
            _socket.Abort();
        }

        _socket.Dispose();
    }

    private async Task SendLoopAsync()
    {
        var reader = _outbound.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var bytes))
            {
                if (ReferenceEquals(bytes, FlushAcks))
                {
                    await SendGatheredAcksAsync();
                }
                else
                {
                    await _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None);
                }
            }
        }

        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    private async Task SendGatheredAcksAsync()
    {
        byte[] packed;
        lock (_acks)
        {
            var count = Math.Min(_acks.Count, MessageIdList.MaxIds);
            packed = new byte[count * MessageIdList.IdBytes];
            for (var i = 0; i < count; i++)
            {
                _acks[i].Span.CopyTo(packed.AsSpan(i * MessageIdList.IdBytes));
            }

            _acks.RemoveRange(0, count);
            if (_acks.Count > 0)
            {
                _outbound.Writer.TryWrite(FlushAcks);
            }
        }

        var frame = new ClientFrame { AckBatch = new AckBatch { MessageIds = UnsafeByteOperations.UnsafeWrap(packed) } };
        await _socket.SendAsync(frame.ToByteArray(), WebSocketMessageType.Binary, true, CancellationToken.None);
    }

    private void Acknowledge(ByteString id)
    {
        if (!_batch || id.Length != MessageIdList.IdBytes)
        {
            _outbound.Writer.TryWrite(new ClientFrame { Ack = new Ack { MessageId = id } }.ToByteArray());
            return;
        }

        lock (_acks)
        {
            _acks.Add(id);
            if (_acks.Count == 1)
            {
                _outbound.Writer.TryWrite(FlushAcks);
            }
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                length += result.Count;
            }
            while (!result.EndOfMessage);
            Handle(ServerFrame.Parser.ParseFrom(buffer, 0, length));
        }
    }

    private void Handle(ServerFrame frame)
    {
        switch (frame.KindCase)
        {
            case ServerFrame.KindOneofCase.SendResult:
                OnResult(frame.SendResult);
                break;
            case ServerFrame.KindOneofCase.SendResultBatch:
                OnResults(frame.SendResultBatch);
                break;
            case ServerFrame.KindOneofCase.Deliver:
                OnDeliver(frame.Deliver);
                break;
            case ServerFrame.KindOneofCase.ContactEvent:
                Acknowledge(frame.ContactEvent.MessageId);
                break;
            case ServerFrame.KindOneofCase.QueueEmpty:
                _queueEmpty.TrySetResult();
                break;
        }
    }

    private void OnResults(SendResultBatch batch)
    {
        var accepted = batch.AcceptedIds.Span;
        for (var i = 0; i < MessageIdList.Count(accepted); i++)
        {
            OnResult(MessageIdList.At(accepted, i), SendStatus.Accepted);
        }

        foreach (var result in batch.Others)
        {
            OnResult(result);
        }
    }

    private void OnResult(SendResult result) => OnResult(result.MessageId.Span, result.Status);

    private void OnResult(ReadOnlySpan<byte> id, SendStatus status)
    {
        var sequence = id.Length == 16 ? BinaryPrimitives.ReadInt32BigEndian(id[12..]) : -1;
        if (status is SendStatus.Accepted or SendStatus.DuplicateAccepted)
        {
            var sentAt = Ledger.MarkAccepted(sequence);
            lock (AcceptLatencies)
            {
                AcceptLatencies.Add(Stopwatch.GetTimestamp() - sentAt);
            }
        }
        else
        {
            Interlocked.Increment(ref Refused);
        }

        Window.Release();
    }

    private void OnDeliver(Deliver deliver)
    {
        Acknowledge(deliver.MessageId);
        var payload = deliver.Ciphertext.Span;
        if (payload.Length < 16)
        {
            return;
        }

        var sentAt = BinaryPrimitives.ReadInt64LittleEndian(payload);
        var sender = BinaryPrimitives.ReadInt32LittleEndian(payload[8..]);
        var sequence = BinaryPrimitives.ReadInt32LittleEndian(payload[12..]);
        if ((uint)sender < (uint)_all.Length && _all[sender].Ledger.MarkDelivered(sequence))
        {
            lock (DeliveryLatencies)
            {
                DeliveryLatencies.Add(Stopwatch.GetTimestamp() - sentAt);
            }
        }
    }
}
