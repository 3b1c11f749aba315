using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Parley.Web;

namespace Parley.Web.Tests;

/// <summary>The embedded web app: complete, self-contained (nothing from another origin), no inline script, small.</summary>
public sealed partial class WebAssetsTests
{
    /// <summary>The issue's budget for the bundle, gzipped.</summary>
    private const int MaxBundleGzipBytes = 300 * 1024;

    [Fact]
    public void The_root_is_the_page_and_every_file_it_references_is_embedded()
    {
        Assert.True(WebAssets.TryGet("/", out var index));
        Assert.Equal("text/html; charset=utf-8", index.ContentType);
        var html = Encoding.UTF8.GetString(index.Content.Span);
        var references = Reference().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("app.js", references);
        Assert.Contains("app.css", references);
        Assert.All(references, r => Assert.True(WebAssets.TryGet("/" + r, out _), r));
    }

    [Fact]
    public void Every_chunk_the_bundle_imports_is_embedded()
    {
        var imported = new List<string>();
        foreach (var name in WebAssets.Names.Where(n => n.EndsWith(".js", StringComparison.Ordinal)))
        {
            Assert.True(WebAssets.TryGet(name, out var script));
            foreach (Match import in ChunkImport().Matches(Encoding.UTF8.GetString(script.Content.Span)))
            {
                var chunk = import.Groups[1].Success ? import.Groups[1].Value : import.Groups[2].Value;
                imported.Add(chunk);
                Assert.True(WebAssets.TryGet(chunk, out _), $"{name} imports {chunk}");
            }
        }

        Assert.NotEmpty(imported); // the sign-in screen's password estimator is a lazily loaded chunk
    }

    [Fact]
    public void Nothing_is_loaded_from_another_origin_and_no_script_is_inline()
    {
        Assert.True(WebAssets.TryGet("/", out var index));
        var html = Encoding.UTF8.GetString(index.Content.Span);
        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)[^>]*>", html);
        Assert.DoesNotMatch("\\son[a-z]+=", html);
        foreach (var name in WebAssets.Names)
        {
            Assert.True(WebAssets.TryGet(name, out var asset));
            var text = Encoding.UTF8.GetString(asset.Content.Span);
            Assert.DoesNotMatch("(src|href)=\"(https?:)?//", text);
            Assert.DoesNotContain("@import url(", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_bundle_is_within_its_size_budget()
    {
        long total = 0;
        foreach (var name in WebAssets.Names)
        {
            Assert.True(WebAssets.TryGet(name, out var asset));
            using var compressed = new MemoryStream();
            using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                gzip.Write(asset.Content.Span);
            }

            total += compressed.Length;
        }

        Assert.InRange(total, 1, MaxBundleGzipBytes);
    }

    [Theory]
    [InlineData("/../Parley.Web.dll")]
    [InlineData("/dist/app.js")]
    [InlineData("/app.js.map")]
    [InlineData("/%2e%2e/index.html")]
    [InlineData("/api/v1/rpc")]
    [InlineData("/APP.JS")]
    public void Only_exact_names_are_found(string path)
    {
        Assert.False(WebAssets.TryGet(path, out _));
    }

    [GeneratedRegex("(?:src|href)=\"([^\"]+)\"")]
    private static partial Regex Reference();

    [GeneratedRegex("from\\s*\"\\./([^\"]+)\"|import\\(\"\\./([^\"]+)\"\\)")]
    private static partial Regex ChunkImport();
}
