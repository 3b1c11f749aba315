using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Parley.Client.Calls;

/// <summary>The field-by-field checks behind <see cref="CallSignalCodec.TryParse"/>.</summary>
internal static class CallSignalReader
{
    private const string FingerprintAttribute = "a=fingerprint:";

    public static CallSignalError Read(JsonElement root, out CallSignal? signal)
    {
        signal = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return CallSignalError.Malformed;
        }
        if (HasDuplicate(root))
        {
            return CallSignalError.DuplicateField;
        }
        if (!TryNumber(root, "v", out var version))
        {
            return CallSignalError.Malformed;
        }
        if (version != CallLimits.Version)
        {
            return CallSignalError.UnsupportedVersion;
        }
        if (!TryString(root, "t", out var typeName) || !TryString(root, "call", out var callText))
        {
            return CallSignalError.Malformed;
        }
        if (!CallSignalNames.TryType(typeName, out var type))
        {
            return CallSignalError.UnknownType;
        }
        if (!CallId.TryParse(callText, out var id))
        {
            return CallSignalError.BadCallId;
        }
        return type switch
        {
            CallSignalType.Offer => ReadOffer(root, id, out signal),
            CallSignalType.Accept or CallSignalType.Answer => ReadAnswer(root, id, type, out signal),
            CallSignalType.Ice => ReadCandidates(root, id, out signal),
            CallSignalType.Hangup => !TryString(root, "reason", out var reasonName) ? CallSignalError.Malformed
                : !CallSignalNames.TryReason(reasonName, out var reason) ? CallSignalError.BadReason
                : Done(new CallHangup(id, reason), out signal),
            _ => Done(new CallNotice(id, type), out signal),
        };
    }

    private static CallSignalError ReadOffer(JsonElement root, CallId id, out CallSignal? signal)
    {
        signal = null;
        if (!TryString(root, "media", out var mediaName))
        {
            return CallSignalError.Malformed;
        }
        if (!CallSignalNames.TryMedia(mediaName, out var media))
        {
            return CallSignalError.BadMedia;
        }
        var restart = false;
        if (root.TryGetProperty("restart", out var restartElement))
        {
            if (restartElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return CallSignalError.Malformed;
            }
            restart = restartElement.GetBoolean();
        }
        var error = ReadDescription(root, out var sdp, out var fingerprint);
        return error != CallSignalError.None ? error : Done(new CallOffer(id, media, sdp!, fingerprint!, restart), out signal);
    }

    private static CallSignalError ReadAnswer(JsonElement root, CallId id, CallSignalType type, out CallSignal? signal)
    {
        signal = null;
        var error = ReadDescription(root, out var sdp, out var fingerprint);
        if (error != CallSignalError.None)
        {
            return error;
        }
        return Done(type == CallSignalType.Accept ? new CallAccept(id, sdp!, fingerprint!) : new CallAnswer(id, sdp!, fingerprint!), out signal);
    }

    private static CallSignalError ReadDescription(JsonElement root, out string? sdp, out DtlsFingerprint? fingerprint)
    {
        fingerprint = null;
        if (!TryString(root, "sdp", out sdp) || !TryString(root, "fp", out var fpText))
        {
            return CallSignalError.Malformed;
        }
        if (!IsSdp(sdp))
        {
            return CallSignalError.BadSdp;
        }
        if (!DtlsFingerprint.TryParse(fpText, out fingerprint))
        {
            return CallSignalError.BadFingerprint;
        }
        return SdpCarries(sdp, fingerprint) ? CallSignalError.None : CallSignalError.FingerprintMismatch;
    }

    private static CallSignalError ReadCandidates(JsonElement root, CallId id, out CallSignal? signal)
    {
        signal = null;
        if (!root.TryGetProperty("cands", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return CallSignalError.Malformed;
        }
        var count = array.GetArrayLength();
        if (count is 0 or > CallLimits.MaxCandidatesPerSignal)
        {
            return CallSignalError.TooManyCandidates;
        }
        var candidates = new List<IceCandidate>(count);
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || HasDuplicate(item) || !TryString(item, "c", out var line))
            {
                return CallSignalError.Malformed;
            }
            string? mid = null;
            int? index = null;
            if ((item.TryGetProperty("mid", out _) && !TryString(item, "mid", out mid))
                || (item.TryGetProperty("idx", out _) && !TryNumber(item, "idx", out var idx, out index)))
            {
                return CallSignalError.Malformed;
            }
            if (!IsCandidate(line, mid, index))
            {
                return CallSignalError.BadCandidate;
            }
            candidates.Add(new IceCandidate(line, mid, index));
        }
        return Done(new CallIceCandidates(id, candidates), out signal);
    }

    /// <summary>Printable ASCII lines ended by CRLF, starting with <c>v=0</c>, within the length limit.</summary>
    internal static bool IsSdp(string sdp) =>
        sdp.Length <= CallLimits.MaxSdpLength && sdp.StartsWith("v=0\r\n", StringComparison.Ordinal)
        && sdp.EndsWith("\r\n", StringComparison.Ordinal)
        && sdp.All(c => c is (>= ' ' and <= '~') or '\r' or '\n')
        && !sdp.Replace("\r\n", "", StringComparison.Ordinal).Any(c => c is '\r' or '\n');

    /// <summary>At least one <c>a=fingerprint</c> line, and every one equal to <paramref name="fingerprint"/>.</summary>
    internal static bool SdpCarries(string sdp, DtlsFingerprint fingerprint)
    {
        var seen = 0;
        foreach (var line in sdp.Split("\r\n"))
        {
            if (line.StartsWith(FingerprintAttribute, StringComparison.Ordinal))
            {
                if (!DtlsFingerprint.TryParse(line[FingerprintAttribute.Length..], out var inSdp) || !inSdp.Equals(fingerprint))
                {
                    return false;
                }
                seen++;
            }
        }
        return seen > 0;
    }

    /// <summary>A candidate as <see cref="CallSignalCodec"/> would accept it.</summary>
    internal static bool IsCandidate(IceCandidate candidate) => IsCandidate(candidate.Candidate, candidate.SdpMid, candidate.SdpMLineIndex);

    private static bool IsCandidate(string line, string? mid, int? index) =>
        line.Length <= CallLimits.MaxCandidateLength
        && (line.Length == 0 || line.StartsWith("candidate:", StringComparison.Ordinal))
        && line.All(c => c is >= ' ' and <= '~')
        && (mid is null || (mid.Length <= CallLimits.MaxSdpMidLength && mid.All(c => c is > ' ' and <= '~')))
        && (index is null || index is >= 0 and <= CallLimits.MaxSdpMLineIndex);

    private static bool HasDuplicate(JsonElement element)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        return element.EnumerateObject().Any(p => !names.Add(p.Name));
    }

    private static bool TryString(JsonElement element, string name, [NotNullWhen(true)] out string? value)
    {
        value = element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String ? property.GetString() : null;
        return value is not null;
    }

    private static bool TryNumber(JsonElement element, string name, out long value)
    {
        value = 0;
        return element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.Number && property.TryGetInt64(out value);
    }

    private static bool TryNumber(JsonElement element, string name, out long value, out int? asInt)
    {
        asInt = null;
        if (!TryNumber(element, name, out value) || value is < int.MinValue or > int.MaxValue)
        {
            return false;
        }
        asInt = (int)value;
        return true;
    }

    private static CallSignalError Done(CallSignal made, out CallSignal? signal)
    {
        signal = made;
        return CallSignalError.None;
    }
}
