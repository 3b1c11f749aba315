namespace Parley.Timing;

/// <summary>
/// Welch's two-sample t statistic, as dudect uses it: |t| above 4.5 says the two classes' timing
/// distributions differ (a leak) with overwhelming confidence; below, no difference was detected at
/// this sample size. Also on the samples cropped at the pooled 90th percentile, which removes the
/// long tail that scheduling noise adds on a shared machine.
/// </summary>
internal static class Welch
{
    /// <summary>The dudect threshold.</summary>
    public const double Threshold = 4.5;

    public static double T(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var (ma, va) = MeanVariance(a);
        var (mb, vb) = MeanVariance(b);
        var se = Math.Sqrt(va / a.Count + vb / b.Count);
        return se == 0 ? 0 : (ma - mb) / se;
    }

    public static double CroppedT(IReadOnlyList<double> a, IReadOnlyList<double> b, double percentile = 0.90)
    {
        var cut = Percentile([.. a, .. b], percentile);
        return T([.. a.Where(x => x <= cut)], [.. b.Where(x => x <= cut)]);
    }

    public static double Median(IReadOnlyList<double> values) => Percentile(values, 0.5);

    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }

    private static (double Mean, double Variance) MeanVariance(IReadOnlyList<double> values)
    {
        double mean = 0, m2 = 0;
        for (var i = 0; i < values.Count; i++)
        {
            var delta = values[i] - mean;
            mean += delta / (i + 1);
            m2 += delta * (values[i] - mean);
        }
        return (mean, values.Count > 1 ? m2 / (values.Count - 1) : 0);
    }
}
