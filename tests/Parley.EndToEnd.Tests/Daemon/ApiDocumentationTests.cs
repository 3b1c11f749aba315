using System.Text.RegularExpressions;
using Parley.Daemon.Api;

namespace Parley.EndToEnd.Tests.Daemon;

/// <summary>docs/API.md documents exactly the methods and error codes the code has.</summary>
public sealed partial class ApiDocumentationTests
{
    [Fact]
    public void Every_method_in_the_code_is_documented_and_every_documented_method_exists()
    {
        var documented = MethodHeading().Matches(ReadDoc()).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(documented.Distinct().Count(), documented.Count);
        Assert.Equal(ApiMethods.All.Order(), documented.Order());
    }

    [Fact]
    public void Every_error_code_is_documented()
    {
        var doc = ReadDoc();
        foreach (var code in ApiErrorCodes.All)
        {
            Assert.Contains("| `" + code + "` |", doc, StringComparison.Ordinal);
        }

        var documented = ErrorRow().Matches(doc).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(ApiErrorCodes.All.Order(), documented.Order());
    }

    private static string ReadDoc()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "docs", "API.md");
            if (File.Exists(path))
            {
                return File.ReadAllText(path);
            }
        }

        throw new FileNotFoundException("docs/API.md not found above the test directory.");
    }

    [GeneratedRegex("^### `([a-z.]+)`", RegexOptions.Multiline)]
    private static partial Regex MethodHeading();

    [GeneratedRegex(@"^\| `(-32[0-9]{3})` \|", RegexOptions.Multiline)]
    private static partial Regex ErrorRow();
}
