using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Parley.Server.Hosting;

/// <summary>
/// A feature's connection-level middleware on the public listeners: it sees each connection after TLS
/// and before Kestrel's HTTP layer, and either serves it or hands it on unchanged.
/// </summary>
public interface IPublicConnectionMiddleware
{
    /// <summary>Wraps the rest of the connection pipeline.</summary>
    /// <param name="rest">The HTTP layer (and anything after this middleware).</param>
    /// <param name="limits">Kestrel's limits (read per connection: configuration binds them after this call).</param>
    /// <returns>The connection delegate to use instead of <paramref name="rest"/>.</returns>
    ConnectionDelegate Wrap(ConnectionDelegate rest, KestrelServerLimits limits);
}
