using Parley.Wire;

namespace Parley.Server.Relay;

/// <summary>Told once per submitted message how it ended (after its batch committed, or earlier for refusals).</summary>
public interface ISendCompletion
{
    /// <summary>Reports the final status of <paramref name="message"/>; must not block.</summary>
    void Complete(QueuedMessage message, SendStatus status);
}

/// <summary>A completion a caller can await (REST-originated queue entries such as contact events).</summary>
public sealed class AwaitableCompletion : ISendCompletion
{
    private readonly TaskCompletionSource<SendStatus> _source = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the message is durable or refused.</summary>
    public Task<SendStatus> Task => _source.Task;

    /// <inheritdoc />
    public void Complete(QueuedMessage message, SendStatus status) => _source.TrySetResult(status);
}
