using Google.Protobuf;
using Parley.Wire;

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
}
