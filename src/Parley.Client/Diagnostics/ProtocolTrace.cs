using System.Text;
using System.Text.Json;
using Google.Protobuf;

namespace Parley.Client.Diagnostics;

/// <summary>
/// The debug view (<c>--debug</c>): every relay frame, decoded, and every HTTP request the client
/// makes, one JSON object per line on a writer (stderr for the CLI and the daemon). Redacted by
/// default: ciphertext shows as its length, contact-request notes as their length, HTTP bodies (SRP
/// proofs, keys, tokens) never. With <see cref="ShowsPlaintext"/> (<c>--debug=plaintext</c>, asked for
/// explicitly) the decrypted content of each message sent and received is printed as well. Session
/// tokens and keys are never printed in any mode.
/// </summary>
public sealed class ProtocolTrace
{
    /// <summary>Characters as themselves for a terminal (control characters stay escaped, so a name cannot inject escape sequences).</summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly TextWriter _output;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();

    /// <summary>Creates a trace writing to <paramref name="output"/>.</summary>
    /// <param name="output">Where the lines go.</param>
    /// <param name="showsPlaintext">Whether decrypted contents and notes are printed too.</param>
    /// <param name="time">The clock for each line's timestamp.</param>
    public ProtocolTrace(TextWriter output, bool showsPlaintext, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        ShowsPlaintext = showsPlaintext;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Whether decrypted message contents are printed.</summary>
    public bool ShowsPlaintext { get; }

    /// <summary>A relay frame sent (<paramref name="outgoing"/>) or received.</summary>
    /// <param name="outgoing">True for a client frame.</param>
    /// <param name="frame">The frame.</param>
    public void Frame(bool outgoing, IMessage frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        Write(w =>
        {
            w.WriteString("dir", outgoing ? "out" : "in");
            w.WritePropertyName("relay");
            FrameJson.Write(w, frame, ShowsPlaintext);
        });
    }

    /// <summary>An HTTP exchange with the server: method, path, status (no headers, no bodies).</summary>
    /// <param name="method">The method.</param>
    /// <param name="path">The path (no query: queries may carry names).</param>
    /// <param name="status">The status code, or 0 when no response came.</param>
    /// <param name="elapsed">How long it took.</param>
    public void Http(string method, string path, int status, TimeSpan elapsed) =>
        Write(w =>
        {
            w.WriteString("http", method + " " + path);
            w.WriteNumber("status", status);
            w.WriteNumber("ms", Math.Round(elapsed.TotalMilliseconds, 1));
        });

    /// <summary>A call to the running daemon's API (for commands served by it): the method and the outcome only.</summary>
    /// <param name="method">The API method.</param>
    /// <param name="outcome"><c>request</c>, <c>result</c> or the error code.</param>
    public void Rpc(string method, string outcome) =>
        Write(w =>
        {
            w.WriteString("rpc", method);
            w.WriteString("outcome", outcome);
        });

    /// <summary>A sentence for the reader of the trace.</summary>
    /// <param name="text">The sentence (no secrets).</param>
    public void Note(string text) => Write(w => w.WriteString("note", text));

    /// <summary>The decrypted content of a message sent to or received from <paramref name="peer"/>; printed only in plaintext mode.</summary>
    /// <param name="outgoing">True for a message this client encrypted.</param>
    /// <param name="peer">The other side.</param>
    /// <param name="plaintext">The content's bytes (UTF-8 JSON).</param>
    public void Content(bool outgoing, string peer, ReadOnlySpan<byte> plaintext)
    {
        if (!ShowsPlaintext)
        {
            return;
        }

        var text = Describe(plaintext);
        Write(w =>
        {
            w.WriteString("dir", outgoing ? "out" : "in");
            w.WriteString("peer", peer);
            w.WriteString("content", text);
        });
    }

    /// <summary>A content as protobuf JSON, with a file's key left out (the trace shows what was said, not how to decrypt a blob).</summary>
    internal static string Describe(ReadOnlySpan<byte> plaintext)
    {
        if (!Messaging.ContentPadding.TryUnpad(plaintext, out var unpadded))
        {
            return "(not a padded content)";
        }
        try
        {
            var content = Messaging.Proto.Content.Parser.ParseFrom(unpadded);
            content.File?.Key = Google.Protobuf.ByteString.Empty;
            return Google.Protobuf.JsonFormatter.Default.Format(content);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return "(not a content)";
        }
    }

    private void Write(Action<Utf8JsonWriter> body)
    {
        // Stamped and written under one lock, so the lines of concurrent threads stay in time order.
        lock (_lock)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
            using (var w = new Utf8JsonWriter(buffer, WriterOptions))
            {
                w.WriteStartObject();
                w.WriteString("t", _time.GetUtcNow().ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture));
                body(w);
                w.WriteEndObject();
            }

            try
            {
                _output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
                _output.Flush();
            }
            catch (IOException)
            {
                // A closed stderr must not stop the client.
            }
        }
    }
}
