namespace Parley.Fuzz.Targets;

/// <summary>Runs one input through a decoder; an exception that escapes is a crash.</summary>
public delegate void FuzzInput(ReadOnlySpan<byte> input);

/// <summary>
/// One coverage-guided fuzz target: a decoder of untrusted bytes, driven the way the product drives
/// it (the failures the product catches are caught here too, anything else escapes and is a crash),
/// and the valid encodings it is seeded with.
/// </summary>
public sealed record FuzzTarget(string Name, FuzzInput Run, IReadOnlyList<byte[]> Seeds);
