namespace Parley.Client.Relay;

/// <summary>
/// A budget of bytes shared by one producer and one consumer: <see cref="TakeAsync"/> waits while
/// the bytes taken and not yet given back would pass the limit (one item larger than the limit passes
/// when nothing else is outstanding, so nothing waits forever).
/// </summary>
internal sealed class ByteBudget : IDisposable
{
    private readonly long _limit;
    private readonly SemaphoreSlim _given = new(0);
    private long _outstanding;

    public ByteBudget(long limit) => _limit = limit;

    /// <summary>Bytes taken and not given back.</summary>
    public long Outstanding => Interlocked.Read(ref _outstanding);

    public async Task TakeAsync(int bytes, CancellationToken cancellationToken)
    {
        while (Outstanding > 0 && Outstanding + bytes > _limit)
        {
            await _given.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Add(ref _outstanding, bytes);
    }

    public void Give(long bytes)
    {
        Interlocked.Add(ref _outstanding, -bytes);
        if (_given.CurrentCount == 0)
        {
            _given.Release(); // one wake-up is enough: the taker checks the budget again
        }
    }

    public void Dispose() => _given.Dispose();
}
