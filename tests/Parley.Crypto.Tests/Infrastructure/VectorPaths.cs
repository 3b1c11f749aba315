namespace Parley.Crypto.Tests.Infrastructure;

/// <summary>
/// Finds the published test vectors: tests/vectors in the repository, copied beside the test
/// binaries as vectors/ by the project file (see tests/vectors/README.md for their sources).
/// </summary>
public static class VectorPaths
{
    /// <summary>The vectors folder beside the test binaries.</summary>
    public static string Root
    {
        get
        {
            var root = Path.Combine(AppContext.BaseDirectory, "vectors");
            return Directory.Exists(root)
                ? root
                : throw new DirectoryNotFoundException("Test vectors not found at " + root + " (tests/vectors is copied there on build)");
        }
    }

    /// <summary>The absolute path of a Wycheproof file.</summary>
    public static string Wycheproof(string fileName) => Path.Combine(Root, "wycheproof", fileName);
}
