using System.Collections.Frozen;
using System.Reflection;

namespace Parley.Web;

/// <summary>
/// The web app's files, embedded at build time (index.html, the script bundle and its chunks, the
/// style sheet, the icon). Looked up by exact name only, so no request path can reach anything else.
/// </summary>
public static class WebAssets
{
    private const string Prefix = "web/";

    private static readonly FrozenDictionary<string, WebAsset> Assets = Load();

    /// <summary>The names of every embedded file (e.g. <c>index.html</c>, <c>app.js</c>).</summary>
    public static IEnumerable<string> Names => Assets.Keys;

    /// <summary>
    /// Finds the file for a request path: <c>/</c> is <c>index.html</c>; anything else must name an
    /// embedded file exactly (one path segment).
    /// </summary>
    public static bool TryGet(string? path, out WebAsset asset)
    {
        var name = string.IsNullOrEmpty(path) || path == "/" ? "index.html" : path.TrimStart('/');
        return Assets.TryGetValue(name, out asset!);
    }

    private static FrozenDictionary<string, WebAsset> Load()
    {
        var assembly = typeof(WebAssets).Assembly;
        var assets = new Dictionary<string, WebAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var name = resource[Prefix.Length..];
            assets[name] = new WebAsset(name, ContentType(name), Read(assembly, resource));
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}

/// <summary>One embedded file of the web app.</summary>
/// <param name="Name">Its name (one path segment).</param>
/// <param name="ContentType">The Content-Type it is served with.</param>
/// <param name="Content">Its bytes.</param>
public sealed record WebAsset(string Name, string ContentType, ReadOnlyMemory<byte> Content);
