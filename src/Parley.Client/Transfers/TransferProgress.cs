namespace Parley.Client.Transfers;

/// <summary>Which way a transfer goes.</summary>
public enum TransferDirection
{
    /// <summary>Encrypting and uploading.</summary>
    Upload,

    /// <summary>Downloading and decrypting.</summary>
    Download,
}

/// <summary>A snapshot of a transfer for progress bars.</summary>
/// <param name="Direction">Upload or download.</param>
/// <param name="BytesTransferred">Ciphertext bytes confirmed so far (including any resumed prefix).</param>
/// <param name="TotalBytes">Ciphertext bytes in the whole blob.</param>
/// <param name="BytesPerSecond">Recent rate (moving average), 0 until measurable.</param>
/// <param name="Remaining">Estimated time left, or null until a rate is known.</param>
public readonly record struct TransferProgress(
    TransferDirection Direction,
    long BytesTransferred,
    long TotalBytes,
    double BytesPerSecond,
    TimeSpan? Remaining)
{
    /// <summary>Fraction done in [0, 1].</summary>
    public double Fraction => TotalBytes == 0 ? 1 : (double)BytesTransferred / TotalBytes;
}

/// <summary>
/// Turns byte counts into <see cref="TransferProgress"/> reports: an exponentially weighted rate over
/// the injected clock, reported at most every <see cref="ReportInterval"/> (and always at the end).
/// </summary>
internal sealed class ProgressMeter
{
    /// <summary>Least time between two reports, so a fast transfer does not flood the UI.</summary>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(100);

    private const double Smoothing = 0.3;

    private readonly TransferDirection _direction;
    private readonly long _total;
    private readonly IProgress<TransferProgress>? _sink;
    private readonly TimeProvider _time;
    private long _lastBytes;
    private long _lastTimestamp;
    private double _rate;

    public ProgressMeter(TransferDirection direction, long total, IProgress<TransferProgress>? sink, TimeProvider time)
    {
        _direction = direction;
        _total = total;
        _sink = sink;
        _time = time;
        _lastTimestamp = time.GetTimestamp();
    }

    /// <summary>Restarts the rate after a resume so the skipped prefix does not count as speed.</summary>
    public void Restart(long bytes)
    {
        _lastBytes = bytes;
        _lastTimestamp = _time.GetTimestamp();
        _sink?.Report(new TransferProgress(_direction, bytes, _total, _rate, Estimate(bytes)));
    }

    /// <summary>Records that <paramref name="bytes"/> are done; reports if the interval elapsed or the end is reached.</summary>
    public void Update(long bytes)
    {
        if (_sink is null)
        {
            return;
        }

        long now = _time.GetTimestamp();
        TimeSpan elapsed = _time.GetElapsedTime(_lastTimestamp, now);
        if (elapsed < ReportInterval && bytes < _total)
        {
            return;
        }

        if (elapsed > TimeSpan.Zero)
        {
            double instant = (bytes - _lastBytes) / elapsed.TotalSeconds;
            _rate = _rate == 0 ? instant : (Smoothing * instant) + ((1 - Smoothing) * _rate);
        }

        _lastBytes = bytes;
        _lastTimestamp = now;
        _sink.Report(new TransferProgress(_direction, bytes, _total, _rate, Estimate(bytes)));
    }

    private TimeSpan? Estimate(long bytes) =>
        _rate > 0 ? TimeSpan.FromSeconds((_total - bytes) / _rate) : null;
}
