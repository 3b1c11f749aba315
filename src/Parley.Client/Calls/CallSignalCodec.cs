using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Parley.Client.Calls;

/// <summary>Why a received signal was rejected. No rejection changes any state.</summary>
public enum CallSignalError
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary>Over <see cref="CallLimits.MaxSignalBytes"/>.</summary>
    TooLarge,

    /// <summary>Not a JSON object, too deep, a field of the wrong JSON type, or a required field missing.</summary>
    Malformed,

    /// <summary>The same field twice (parsers would disagree about which counts).</summary>
    DuplicateField,

    /// <summary><c>v</c> is not <see cref="CallLimits.Version"/>.</summary>
    UnsupportedVersion,

    /// <summary><c>t</c> names no known signal.</summary>
    UnknownType,

    /// <summary><c>call</c> is not 32 lowercase hex digits.</summary>
    BadCallId,

    /// <summary><c>media</c> is neither <c>audio</c> nor <c>video</c>.</summary>
    BadMedia,

    /// <summary>The SDP is too long, not printable ASCII with CRLF line ends, or does not start with <c>v=0</c>.</summary>
    BadSdp,

    /// <summary><c>fp</c> is not a <c>sha-256</c> fingerprint.</summary>
    BadFingerprint,

    /// <summary>The SDP's <c>a=fingerprint</c> lines are missing or differ from <c>fp</c>.</summary>
    FingerprintMismatch,

    /// <summary>A candidate is too long, not printable ASCII, or has a bad mid or m-line index.</summary>
    BadCandidate,

    /// <summary>No candidates, or more than <see cref="CallLimits.MaxCandidatesPerSignal"/>.</summary>
    TooManyCandidates,

    /// <summary><c>reason</c> names no known hangup reason.</summary>
    BadReason,
}

/// <summary>
/// Call signals to and from their UTF-8 JSON form (docs/PROTOCOL.md 10B.2). The writer is
/// byte-exact (fixed field order, no whitespace, only <c>"</c>, <c>\</c> and control characters
/// escaped); the reader checks the size first, then every field, and reports a typed
/// <see cref="CallSignalError"/> — it never throws on input.
/// </summary>
public static class CallSignalCodec
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonDocumentOptions ReaderOptions = new() { MaxDepth = 3 };

    /// <summary>Serializes a signal.</summary>
    public static byte[] Write(CallSignal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", CallLimits.Version);
            writer.WriteString("t", CallSignalNames.Of(signal.Type));
            writer.WriteString("call", signal.CallId.ToString());
            switch (signal)
            {
                case CallOffer offer:
                    writer.WriteString("media", CallSignalNames.Of(offer.Media));
                    WriteDescription(writer, offer);
                    writer.WriteBoolean("restart", offer.Restart);
                    break;
                case SessionDescriptionSignal description:
                    WriteDescription(writer, description);
                    break;
                case CallIceCandidates ice:
                    WriteCandidates(writer, ice.Candidates);
                    break;
                case CallHangup hangup:
                    writer.WriteString("reason", CallSignalNames.Of(hangup.Reason));
                    break;
            }
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Parses a received signal; hostile input gives false and a typed error, never an exception.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out CallSignal? signal, out CallSignalError error)
    {
        signal = null;
        if (utf8.Length > CallLimits.MaxSignalBytes)
        {
            error = CallSignalError.TooLarge;
            return false;
        }
        if (!Utf8.IsValid(utf8))
        {
            error = CallSignalError.Malformed; // the JSON reader checks string contents only when they are read
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(utf8.ToArray(), ReaderOptions);
            error = CallSignalReader.Read(document.RootElement, out signal);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            signal = null; // an escape that decodes to no valid text (e.g. a lone surrogate)
            error = CallSignalError.Malformed;
        }
        return error == CallSignalError.None;
    }

    private static void WriteDescription(Utf8JsonWriter writer, SessionDescriptionSignal description)
    {
        writer.WriteString("sdp", description.Sdp);
        writer.WriteString("fp", description.Fingerprint.ToString());
    }

    private static void WriteCandidates(Utf8JsonWriter writer, IReadOnlyList<IceCandidate> candidates)
    {
        writer.WriteStartArray("cands");
        foreach (var candidate in candidates)
        {
            writer.WriteStartObject();
            writer.WriteString("c", candidate.Candidate);
            if (candidate.SdpMid is not null)
            {
                writer.WriteString("mid", candidate.SdpMid);
            }
            if (candidate.SdpMLineIndex is { } index)
            {
                writer.WriteNumber("idx", index);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }
}
