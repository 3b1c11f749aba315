using System.Security.Cryptography;

namespace Parley.EndToEnd.Tests.Files.Infrastructure;

/// <summary>A temporary directory deleted on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "parley-files-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Writes a file with the given bytes and returns its path.</summary>
    public string Write(string name, byte[] content)
    {
        string path = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>A fresh empty subdirectory.</summary>
    public string Subdirectory(string name) => Directory.CreateDirectory(System.IO.Path.Combine(Path, name)).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
