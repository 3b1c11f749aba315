using System.Diagnostics;
using System.Security.Cryptography;
using Parley.Crypto.Primitives;

namespace Parley.Timing;

/// <summary>
/// AEAD authentication failures (Parley.Crypto <see cref="Aead.TryOpen"/>) with the wrong byte at
/// different positions: first tag byte vs last tag byte, and first ciphertext byte vs last tag byte.
/// The classes are interleaved at random, each call timed alone (dudect's method).
/// </summary>
internal static class MacTiming
{
    public static IEnumerable<Result> Run(int samples)
    {
        foreach (var algorithm in new[] { AeadAlgorithm.ChaCha20Poly1305, AeadAlgorithm.Aes256Gcm })
        {
            var key = RandomNumberGenerator.GetBytes(Aead.KeySize);
            var nonce = RandomNumberGenerator.GetBytes(Aead.NonceSize);
            var plaintext = RandomNumberGenerator.GetBytes(160);
            var sealedBytes = new byte[plaintext.Length + Aead.TagSize];
            Aead.Seal(algorithm, key, nonce, plaintext, [], sealedBytes);
            var positions = new (string Name, int Index)[]
            {
                ("tag byte 0", plaintext.Length),
                ("tag byte 15", sealedBytes.Length - 1),
                ("ciphertext byte 0", 0),
            };
            var inputs = positions.Select(p =>
            {
                var copy = (byte[])sealedBytes.Clone();
                copy[p.Index] ^= 0x01;
                return copy;
            }).ToArray();
            var output = new byte[plaintext.Length];
            var times = positions.Select(_ => new List<double>(samples)).ToArray();
            for (var i = 0; i < 1000; i++)
            {
                Aead.TryOpen(algorithm, key, nonce, inputs[i % inputs.Length], [], output); // warm-up
            }
            for (var i = 0; i < samples * positions.Length; i++)
            {
                var c = RandomNumberGenerator.GetInt32(positions.Length);
                var start = Stopwatch.GetTimestamp();
                var ok = Aead.TryOpen(algorithm, key, nonce, inputs[c], [], output);
                var elapsed = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                if (ok)
                {
                    throw new InvalidOperationException("A forged message authenticated.");
                }
                times[c].Add(elapsed);
            }
            yield return Result.Of($"MAC failure {algorithm}: tag byte 0 vs tag byte 15", "µs", times[0], times[1]);
            yield return Result.Of($"MAC failure {algorithm}: ciphertext byte 0 vs tag byte 15", "µs", times[2], times[1]);
        }
    }
}

/// <summary>One comparison of two classes.</summary>
internal sealed record Result(string Name, string Unit, int CountA, int CountB, double MedianA, double MedianB, double T, double CroppedT)
{
    public static Result Of(string name, string unit, IReadOnlyList<double> a, IReadOnlyList<double> b) =>
        new(name, unit, a.Count, b.Count, Welch.Median(a), Welch.Median(b), Welch.T(a, b), Welch.CroppedT(a, b));

    public string Verdict => Math.Abs(CroppedT) < Welch.Threshold ? "no leak detected" : "DIFFERENT";
}
