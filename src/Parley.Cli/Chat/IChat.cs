using Parley.Daemon.Api;

namespace Parley.Cli.Chat;

/// <summary>
/// One open conversation as <c>parley chat</c> drives it: in this process over its own relay
/// connection (no daemon), or through the running daemon's live link.
/// </summary>
internal interface IChat : IAsyncDisposable
{
    /// <summary>The contact.</summary>
    string Peer { get; }

    /// <summary>Completes when the conversation can no longer go on (the daemon stopped).</summary>
    Task Completion { get; }

    /// <summary>Sends a message; returns its id once the server stored it.</summary>
    Task<string> SendAsync(string text, CancellationToken ct);

    /// <summary>Tells the contact we started or stopped typing (best effort).</summary>
    Task SetTypingAsync(bool typing, CancellationToken ct);

    /// <summary>The latest messages.</summary>
    Task<IReadOnlyList<EventView>> HistoryAsync(int limit, CancellationToken ct);

    /// <summary>The safety number.</summary>
    Task<VerifyResult> VerifyAsync(CancellationToken ct);
}
