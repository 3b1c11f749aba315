namespace Parley.Server.Relay;

/// <summary>
/// Every fixed limit of the relay, named once. Configurable defaults live in <see cref="RelayOptions"/>;
/// these are the hard protocol bounds that configuration cannot raise.
/// </summary>
public static class RelayLimits
{
    /// <summary>Largest WebSocket message (one frame) the server reads; larger closes the socket with 1009.</summary>
    public const int MaxFrameBytes = 300 * 1024;

    /// <summary>Largest ciphertext one envelope may carry; larger is answered with TOO_LARGE.</summary>
    public const int MaxCiphertextBytes = 256 * 1024;

    /// <summary>Length of a sender-chosen message id.</summary>
    public const int MessageIdBytes = Wire.Relay.MessageIdList.IdBytes;

    /// <summary>Most usernames one presence query may name.</summary>
    public const int MaxPresenceQueryNames = 1_000;

    /// <summary>Most messages read from the store per page while draining a queue on connect.</summary>
    public const int DrainPageSize = 500;

    /// <summary>Most sends of one connection waiting for their batch to commit before reading pauses.</summary>
    public const int MaxInFlightSendsPerConnection = 4_096;
}
