using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Parley.Client.Diagnostics;

/// <summary>
/// Writes a protobuf frame as JSON from its descriptor, redacting as <see cref="ProtocolTrace"/>
/// describes: ids in hex, ciphertext and other opaque bytes as their length, free text (notes) as its
/// length unless plaintext is shown. Field names as in relay.proto; unset fields are left out.
/// </summary>
internal static class FrameJson
{
    /// <summary>Bytes fields that are identifiers (not secret): printed in hex.</summary>
    private static readonly HashSet<string> IdFields = ["message_id", "message_ids", "accepted_ids"];

    /// <summary>String fields written by people (not protocol data): printed only in plaintext mode.</summary>
    private static readonly HashSet<string> TextFields = ["note"];

    /// <summary>The longest id list printed in full; longer ones print their count.</summary>
    private const int MaxIdBytes = 16 * 32;

    public static void Write(Utf8JsonWriter w, IMessage message, bool plaintext)
    {
        w.WriteStartObject();
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(message);
            if (field.IsRepeated)
            {
                var list = (System.Collections.IList)value;
                if (list.Count == 0)
                {
                    continue;
                }

                w.WriteStartArray(field.Name);
                foreach (var item in list)
                {
                    WriteValue(w, field, item, plaintext);
                }

                w.WriteEndArray();
                continue;
            }

            if (field.ContainingOneof is { } oneof && oneof.Accessor.GetCaseFieldDescriptor(message) != field)
            {
                continue;
            }

            if (field.ContainingOneof is null && field.FieldType != FieldType.Message && !field.HasPresence && IsDefault(value))
            {
                continue;
            }

            if (field.FieldType == FieldType.Message && value is null)
            {
                continue;
            }

            w.WritePropertyName(field.Name);
            WriteValue(w, field, value, plaintext);
        }

        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, FieldDescriptor field, object value, bool plaintext)
    {
        switch (value)
        {
            case IMessage inner:
                Write(w, inner, plaintext);
                break;
            case ByteString bytes when IdFields.Contains(field.Name) && bytes.Length <= MaxIdBytes:
                w.WriteStringValue(Convert.ToHexStringLower(bytes.Span));
                break;
            case ByteString bytes:
                w.WriteStringValue($"<{bytes.Length} bytes>");
                break;
            case string text when TextFields.Contains(field.Name) && !plaintext:
                w.WriteStringValue($"<{text.Length} characters>");
                break;
            case string text:
                w.WriteStringValue(text);
                break;
            case bool flag:
                w.WriteBooleanValue(flag);
                break;
            case Enum named:
                w.WriteStringValue(field.EnumType.FindValueByNumber(Convert.ToInt32(named, System.Globalization.CultureInfo.InvariantCulture))?.Name ?? named.ToString());
                break;
            case ulong unsigned:
                w.WriteNumberValue(unsigned);
                break;
            case int or long or uint:
                w.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                w.WriteStringValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }

    private static bool IsDefault(object value) => value switch
    {
        ByteString bytes => bytes.IsEmpty,
        string text => text.Length == 0,
        bool flag => !flag,
        Enum named => Convert.ToInt32(named, System.Globalization.CultureInfo.InvariantCulture) == 0,
        int i => i == 0,
        long l => l == 0,
        uint u => u == 0,
        ulong ul => ul == 0,
        _ => false,
    };
}
