namespace Parley.Crypto.Tests.Infrastructure;

/// <summary>
/// Finds the published test vectors: $PARLEY_VECTORS if set, else ../shared/vectors beside the
/// directory that holds Parley.slnx (found by walking up from the test binaries).
/// </summary>
public static class VectorPaths
{
    public static string Root
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("PARLEY_VECTORS");
            if (!string.IsNullOrEmpty(fromEnvironment))
            {
                return fromEnvironment;
            }

            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Parley.slnx")))
            {
                directory = directory.Parent;
            }

            if (directory is null)
            {
                throw new DirectoryNotFoundException("Parley.slnx not found above " + AppContext.BaseDirectory);
            }

            var root = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "vectors"));
            if (!Directory.Exists(root))
            {
                throw new DirectoryNotFoundException("Test vectors not found at " + root);
            }

            return root;
        }
    }

    public static string Wycheproof(string fileName) => Path.Combine(Root, "wycheproof", fileName);
}
