namespace Parley.Fuzz.Targets;

/// <summary>
/// The registry of fuzz targets, and <c>All</c>: one target over every other, the first input byte
/// choosing the decoder (modulo their count, in name order) and the rest going to it. One afl-fuzz
/// instance then covers every decoder in the short CI run; long runs fuzz each target on its own.
/// </summary>
public static class AllTargets
{
    /// <summary>Name of the multiplexing target.</summary>
    public const string MultiplexName = "All";

    /// <summary>Every single-decoder target, in ordinal name order.</summary>
    public static IReadOnlyList<FuzzTarget> Singles { get; } =
        [.. CryptoTargets.All().Concat(WireTargets.All()).Concat(RestTargets.All()).Concat(ClientTargets.All()).OrderBy(t => t.Name, StringComparer.Ordinal)];

    /// <summary>The multiplexing target; its seeds are every single target's seeds behind that target's selector byte.</summary>
    public static FuzzTarget Multiplex { get; } = new(
        MultiplexName,
        input =>
        {
            if (input.Length > 0)
            {
                Singles[input[0] % Singles.Count].Run(input[1..]);
            }
        },
        [.. Singles.SelectMany((t, i) => t.Seeds.Select(s => (byte[])[(byte)i, .. s]))]);

    /// <summary>Finds a target by name (ordinal, case-insensitive), or null.</summary>
    public static FuzzTarget? Find(string name) =>
        string.Equals(name, MultiplexName, StringComparison.OrdinalIgnoreCase)
            ? Multiplex
            : Singles.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
}
