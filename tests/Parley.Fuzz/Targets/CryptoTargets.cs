using Parley.Crypto.Tests.Infrastructure;

namespace Parley.Fuzz.Targets;

/// <summary>
/// Parley.Crypto's decoders (keys, key records, bundle, suite list, initial and ratchet headers,
/// envelopes, ratchet state, session record, attachment header, a whole receive), from the same list
/// the seeded mutation tests use. They are Try-style: every input gives true or false, never an
/// exception.
/// </summary>
internal static class CryptoTargets
{
    public static IEnumerable<FuzzTarget> All() =>
        Decoders.All.Select(d => new FuzzTarget("Crypto." + d.Key, input => d.Value.Parse(input), d.Value.Valid));
}
