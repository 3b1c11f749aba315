using System.Collections.Concurrent;
using Parley.Daemon.Api;

namespace Parley.Daemon.Rpc;

/// <summary>
/// The named file transfers running on one connection, so that <c>files.cancel</c> can stop one
/// (a browser cannot abandon a call on a shared WebSocket the way a CLI closes its socket).
/// </summary>
public sealed class RunningTransfers
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);

    /// <summary>Registers a transfer; unnamed transfers get a token that only <paramref name="ct"/> cancels.</summary>
    /// <param name="name">The caller's name for it, or null.</param>
    /// <param name="ct">The call's token.</param>
    /// <returns>The registration; dispose it when the transfer ends.</returns>
    /// <exception cref="ApiException">For a malformed name or one already running.</exception>
    public Lease Begin(string? name, CancellationToken ct)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (name is null)
        {
            return new Lease(this, null, source);
        }

        if (name.Length is 0 or > ApiLimits.MaxTransferNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            source.Dispose();
            throw ApiException.InvalidParams($"transfer: 1 to {ApiLimits.MaxTransferNameLength} letters, digits, '-' or '_'.");
        }

        if (!_running.TryAdd(name, source))
        {
            source.Dispose();
            throw ApiException.InvalidParams("A transfer of that name is already running on this connection.");
        }

        return new Lease(this, name, source);
    }

    /// <summary>Cancels the named transfer.</summary>
    /// <param name="name">Its name.</param>
    /// <returns>Whether one was running.</returns>
    public bool Cancel(string name)
    {
        if (!_running.TryGetValue(name, out var source))
        {
            return false;
        }

        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return false; // It ended just now.
        }

        return true;
    }

    /// <summary>One registered transfer.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly RunningTransfers _owner;
        private readonly string? _name;
        private readonly CancellationTokenSource _source;

        internal Lease(RunningTransfers owner, string? name, CancellationTokenSource source)
        {
            _owner = owner;
            _name = name;
            _source = source;
            Token = source.Token;
        }

        /// <summary>Cancelled by <c>files.cancel</c> or by the call's own token.</summary>
        public CancellationToken Token { get; }

        /// <summary>Whether <c>files.cancel</c> (not the connection) stopped it.</summary>
        public bool CancelledByCaller(CancellationToken callToken) => Token.IsCancellationRequested && !callToken.IsCancellationRequested;

        /// <inheritdoc />
        public void Dispose()
        {
            if (_name is not null)
            {
                _owner._running.TryRemove(new KeyValuePair<string, CancellationTokenSource>(_name, _source));
            }

            _source.Dispose();
        }
    }
}
