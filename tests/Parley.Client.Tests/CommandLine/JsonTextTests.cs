using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Cli.Output;

namespace Parley.Client.Tests.CommandLine;

/// <summary>JSON output escapes only what JSON requires.</summary>
public sealed class JsonTextTests
{
    [Theory]
    [InlineData("1+1 <b>&amp;</b> 'q'")]
    [InlineData("é 漢字 😀 👍🏽")]
    [InlineData("\u2028 separators \u2029")]
    public void Characters_print_as_themselves(string text)
    {
        var json = JsonText.Serialize(new JsonObject { ["text"] = text });
        Assert.Equal("{\"text\":\"" + text + "\"}", json);
        Assert.Equal(text, JsonDocument.Parse(json).RootElement.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("quote \" backslash \\ newline \n tab \t bell \u0007")]
    [InlineData("a literal \\u0041 stays")]
    public void What_json_requires_stays_escaped_and_round_trips(string text)
    {
        var json = JsonText.Serialize(new JsonObject { ["text"] = text });
        Assert.DoesNotContain('\n', json);
        Assert.DoesNotContain('\u0007', json);
        Assert.Equal(text, JsonDocument.Parse(json).RootElement.GetProperty("text").GetString());
    }
}
