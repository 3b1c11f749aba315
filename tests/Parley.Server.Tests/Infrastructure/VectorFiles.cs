namespace Parley.Server.Tests.Infrastructure;

/// <summary>Finds the published vectors: the directory holding Parley.slnx, then ../shared/vectors.</summary>
public static class VectorFiles
{
    /// <summary>The absolute path of a file under shared/vectors.</summary>
    public static string Path(params string[] parts)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Parley.slnx")))
        {
            directory = directory.Parent;
        }
        if (directory?.Parent is null)
        {
            throw new InvalidOperationException("Parley.slnx not found above " + AppContext.BaseDirectory);
        }
        var path = System.IO.Path.Combine([directory.Parent.FullName, "shared", "vectors", .. parts]);
        return File.Exists(path) ? path : throw new FileNotFoundException("Missing test vector file " + path);
    }
}
