namespace Parley.Client.Relay;

/// <summary>Bounds of a relay link's reading side.</summary>
public static class LinkLimits
{
    /// <summary>
    /// Frames read from the socket and waiting for the handler. When the handler is this far behind,
    /// the link stops reading, and the server's socket buffers (then its in-flight window) hold the rest.
    /// </summary>
    public const int HandlerBufferFrames = 1_024;

    /// <summary>
    /// Most bytes of frames waiting for the handler (a frame larger than this still passes, alone), so
    /// a queue of large messages cannot make the link hold hundreds of megabytes.
    /// </summary>
    public const int HandlerBufferBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Most consecutive deliveries handed to the handler at once (one store transaction, one
    /// acknowledgement frame): a burst is stored at disk-commit cost per batch, not per message.
    /// </summary>
    public const int MaxDeliveriesPerBatch = 256;
}
