using System.Buffers.Binary;
using Google.Protobuf;
using Parley.Wire;
using Parley.Wire.Relay;

namespace Parley.Server.Relay;

/// <summary>Maps queue entries to the frames that deliver them.</summary>
internal static class RelayFrames
{
    public static ServerFrame ToFrame(QueuedMessage message)
    {
        // Fresh arrays nobody else holds: wrapping them instead of copying is safe.
        var id = UnsafeByteOperations.UnsafeWrap(message.Id.ToBytes());
        if (message.Kind == QueuedKind.ContactEvent)
        {
            return new ServerFrame
            {
                ContactEvent = new ContactEvent
                {
                    MessageId = id,
                    Kind = (ContactEventKind)message.Subtype,
                    From = message.SenderName,
                    Note = System.Text.Encoding.UTF8.GetString(message.Body),
                    ServerTimestampMs = message.CreatedMs,
                },
            };
        }

        return new ServerFrame
        {
            Deliver = new Deliver
            {
                MessageId = id,
                Sender = message.SenderName,
                Type = (EnvelopeType)message.Subtype,
                Ciphertext = UnsafeByteOperations.UnsafeWrap(message.Body),
                ServerTimestampMs = message.CreatedMs,
            },
        };
    }

    /// <summary>
    /// One SendResultBatch for <paramref name="count"/> results from <paramref name="start"/>: accepted
    /// ids packed into one array, every other status as a full SendResult.
    /// </summary>
    public static ServerFrame ToResultBatch(List<(MessageId Id, SendStatus Status)> results, int start, int count)
    {
        var accepted = 0;
        for (var i = start; i < start + count; i++)
        {
            accepted += results[i].Status == SendStatus.Accepted ? 1 : 0;
        }

        var ids = new byte[accepted * MessageIdList.IdBytes];
        var batch = new SendResultBatch { AcceptedIds = UnsafeByteOperations.UnsafeWrap(ids) };
        var offset = 0;
        for (var i = start; i < start + count; i++)
        {
            var (id, status) = results[i];
            if (status == SendStatus.Accepted)
            {
                BinaryPrimitives.WriteUInt128BigEndian(ids.AsSpan(offset, MessageIdList.IdBytes), id.Value);
                offset += MessageIdList.IdBytes;
            }
            else
            {
                batch.Others.Add(new SendResult { MessageId = UnsafeByteOperations.UnsafeWrap(id.ToBytes()), Status = status });
            }
        }

        return new ServerFrame { SendResultBatch = batch };
    }
}
