using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parley.Cli.Output;

/// <summary>
/// JSON as people and scripts want to read it: one object per line, and characters printed as
/// themselves wherever JSON allows (a <c>+</c> is a <c>+</c>, an emoji is an emoji). Only what RFC 8259
/// requires stays escaped: quotation mark, reverse solidus, control characters and lone surrogates.
/// </summary>
internal static class JsonText
{
    private static readonly JsonSerializerOptions Compact = new()
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Serializes <paramref name="value"/> on one line with minimal escaping.</summary>
    public static string Serialize(JsonNode value) => Unescape(value.ToJsonString(Compact));

    /// <summary>
    /// Turns the <c>\uXXXX</c> escapes a JSON encoder still wrote (the relaxed encoder escapes
    /// characters outside the Basic Multilingual Plane, among others) back into characters, except
    /// where JSON requires the escape. Other escapes (<c>\"</c>, <c>\\</c>, <c>\n</c>...) are kept.
    /// </summary>
    public static string Unescape(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (!json.Contains("\\u", StringComparison.Ordinal))
        {
            return json;
        }

        var result = new StringBuilder(json.Length);
        var i = 0;
        while (i < json.Length)
        {
            var c = json[i];
            if (c != '\\' || i + 1 >= json.Length)
            {
                result.Append(c);
                i++;
                continue;
            }

            if (json[i + 1] != 'u' || !TryHex(json, i + 2, out var unit))
            {
                result.Append(c).Append(json[i + 1]);
                i += 2;
                continue;
            }

            if (char.IsHighSurrogate(unit) && TryHex(json, i + 8, out var low) && json[i + 6] == '\\' && json[i + 7] == 'u' && char.IsLowSurrogate(low))
            {
                result.Append(unit).Append(low);
                i += 12;
            }
            else if (unit >= ' ' && unit != '"' && unit != '\\' && !char.IsSurrogate(unit))
            {
                result.Append(unit);
                i += 6;
            }
            else
            {
                result.Append(json, i, 6);
                i += 6;
            }
        }

        return result.ToString();
    }

    private static bool TryHex(string text, int start, out char unit)
    {
        unit = '\0';
        if (start + 4 > text.Length)
        {
            return false;
        }

        if (!ushort.TryParse(text.AsSpan(start, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        unit = (char)value;
        return true;
    }
}
