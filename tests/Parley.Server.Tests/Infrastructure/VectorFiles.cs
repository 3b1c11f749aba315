namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// Finds the published vectors: tests/vectors in the repository, copied beside the test binaries as
/// vectors/ by the project file (see tests/vectors/README.md for their sources).
/// </summary>
public static class VectorFiles
{
    /// <summary>The absolute path of a file under tests/vectors.</summary>
    public static string Path(params string[] parts)
    {
        var path = System.IO.Path.Combine([AppContext.BaseDirectory, "vectors", .. parts]);
        return File.Exists(path) ? path : throw new FileNotFoundException("Missing test vector file " + path + " (tests/vectors is copied there on build)");
    }
}
