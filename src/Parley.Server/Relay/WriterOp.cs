namespace Parley.Server.Relay;

/// <summary>The kinds of work the group-commit writer takes, in arrival order.</summary>
internal enum WriterOpKind
{
    Send,
    Ack,
    AckMany,
    Barrier,
    Maintenance,
}

/// <summary>
/// One unit of writer work. A struct so that the hot path (sends and acks) allocates nothing beyond
/// the message itself.
/// </summary>
internal readonly struct WriterOp
{
    private WriterOp(WriterOpKind kind, QueuedMessage? message, ISendCompletion? completion, QueueDelete delete,
        TaskCompletionSource? signal, Func<IMessageQueueStore, CancellationToken, Task>? maintenance, List<QueueDelete>? deletes = null)
    {
        Kind = kind;
        Message = message;
        Completion = completion;
        Delete = delete;
        Signal = signal;
        Maintenance = maintenance;
        Deletes = deletes;
    }

    public WriterOpKind Kind { get; }

    public QueuedMessage? Message { get; }

    public ISendCompletion? Completion { get; }

    public QueueDelete Delete { get; }

    /// <summary>The deletions of one AckBatch frame, in the frame's order (one channel operation for all of them).</summary>
    public List<QueueDelete>? Deletes { get; }

    public TaskCompletionSource? Signal { get; }

    public Func<IMessageQueueStore, CancellationToken, Task>? Maintenance { get; }

    public static WriterOp Send(QueuedMessage message, ISendCompletion completion) =>
        new(WriterOpKind.Send, message, completion, default, null, null);

    public static WriterOp Ack(QueueDelete delete) => new(WriterOpKind.Ack, null, null, delete, null, null);

    public static WriterOp AckMany(List<QueueDelete> deletes) => new(WriterOpKind.AckMany, null, null, default, null, null, deletes);

    public static WriterOp Barrier(TaskCompletionSource signal) => new(WriterOpKind.Barrier, null, null, default, signal, null);

    public static WriterOp Maintain(Func<IMessageQueueStore, CancellationToken, Task> action, TaskCompletionSource signal) =>
        new(WriterOpKind.Maintenance, null, null, default, signal, action);
}
