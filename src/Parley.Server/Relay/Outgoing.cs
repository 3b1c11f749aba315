using Parley.Wire;

namespace Parley.Server.Relay;

/// <summary>One queued item: a frame, or a queue entry to deliver (encoded only when it is sent).</summary>
internal readonly record struct Outgoing(ServerFrame? Frame, QueuedMessage? Delivery);
