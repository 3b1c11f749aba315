using System.Buffers;
using System.Text;

namespace Parley.Server.Relay;

/// <summary>
/// The parts of an HTTP/1.1 WebSocket upgrade of <c>/v1/ws</c> that the connection-level upgrade
/// (<see cref="RelayUpgradeHandler"/>) needs, read by a deliberately strict parser: it recognises only
/// a plain, complete, unambiguous request and answers null for everything else (another path, a
/// query, HTTP/2, a partial or malformed request, a body, a repeated header that matters, a
/// subprotocol, an Origin). A null sends the connection through the ordinary ASP.NET Core pipeline,
/// which serves or refuses it as before, so this parser never has to produce an error response.
/// </summary>
internal sealed class RelayUpgradeRequest
{
    /// <summary>The largest request head this parser reads (Kestrel's <c>MaxRequestHeadersTotalSize</c> in Parley).</summary>
    public const int MaxHeadBytes = 16 * 1024;

    private const string BearerPrefix = "Bearer ";
    private static readonly byte[] RequestLine = "GET /v1/ws HTTP/1.1\r\n"u8.ToArray();
    private static readonly SearchValues<byte> TokenBytes =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    private RelayUpgradeRequest(int headLength, string key, string token, string? origin, string? forwardedFor)
    {
        HeadLength = headLength;
        Key = key;
        Token = token;
        Origin = origin;
        ForwardedFor = forwardedFor;
    }

    /// <summary>Bytes of the request head (request line, headers, empty line).</summary>
    public int HeadLength { get; }

    /// <summary>The client's <c>Sec-WebSocket-Key</c>.</summary>
    public string Key { get; }

    /// <summary>The bearer token from <c>Authorization</c> (not yet checked).</summary>
    public string Token { get; }

    /// <summary>The <c>Origin</c> header, if any.</summary>
    public string? Origin { get; }

    /// <summary>The <c>X-Forwarded-For</c> header, if any (honoured only from a trusted proxy).</summary>
    public string? ForwardedFor { get; }

    /// <summary>Parses a complete request head at the start of <paramref name="data"/>; null when it is anything else.</summary>
    public static RelayUpgradeRequest? TryParse(ReadOnlySequence<byte> data)
    {
        var window = data.Slice(0, Math.Min(data.Length, MaxHeadBytes));
        var reader = new SequenceReader<byte>(window);
        if (!reader.IsNext(RequestLine, advancePast: true))
        {
            return null;
        }

        var headers = new Headers();
        while (true)
        {
            if (!reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
            {
                return null; // incomplete, or longer than MaxHeadBytes
            }

            if (line.Length == 0 || line.Slice(line.Length - 1).FirstSpan[0] != (byte)'\r')
            {
                return null; // a bare LF
            }

            if (line.Length == 1)
            {
                return headers.ToRequest((int)reader.Consumed);
            }

            if (line.Length > MaxHeadBytes || !headers.Add(line.Slice(0, line.Length - 1).ToArray()))
            {
                return null;
            }
        }
    }

    /// <summary>The headers that matter, each at most once; false for anything the fast path leaves to ASP.NET Core.</summary>
    private sealed class Headers
    {
        private string? _host;
        private string? _upgrade;
        private string? _connection;
        private string? _version;
        private string? _key;
        private string? _authorization;
        private string? _origin;
        private string? _forwardedFor;

        public bool Add(ReadOnlySpan<byte> line)
        {
            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || line[..colon].ContainsAnyExcept(TokenBytes))
            {
                return false;
            }

            var rawValue = line[(colon + 1)..];
            foreach (var b in rawValue)
            {
                if (b is (< 0x20 and not (byte)'\t') or > 0x7E)
                {
                    return false; // control bytes and obs-text: Kestrel decides
                }
            }

            var name = Encoding.ASCII.GetString(line[..colon]).ToLowerInvariant();
            var value = Encoding.ASCII.GetString(rawValue).Trim(' ', '\t');
            return name switch
            {
                "host" => Set(ref _host, value),
                "upgrade" => Set(ref _upgrade, value),
                "connection" => Set(ref _connection, value),
                "sec-websocket-version" => Set(ref _version, value),
                "sec-websocket-key" => Set(ref _key, value),
                "authorization" => Set(ref _authorization, value),
                "origin" => Set(ref _origin, value),
                "x-forwarded-for" => Set(ref _forwardedFor, value),
                // A body, a subprotocol, an expectation, a standard Forwarded header: the pipeline's business.
                "content-length" or "transfer-encoding" or "expect" or "sec-websocket-protocol" or "forwarded" => false,
                _ => true,
            };
        }

        public RelayUpgradeRequest? ToRequest(int headLength)
        {
            if (_host is null || !string.Equals(_upgrade, "websocket", StringComparison.OrdinalIgnoreCase)
                || !HasToken(_connection, "upgrade") || _version != "13" || !IsKey(_key)
                || _authorization is null || !_authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            var token = _authorization[BearerPrefix.Length..].Trim();
            return token.Length == 0 ? null : new RelayUpgradeRequest(headLength, _key!, token, _origin, _forwardedFor);
        }

        private static bool Set(ref string? field, string value)
        {
            if (field is not null)
            {
                return false; // repeated: ambiguous
            }

            field = value;
            return true;
        }

        private static bool HasToken(string? list, string token)
        {
            foreach (var part in (list ?? string.Empty).Split(','))
            {
                if (string.Equals(part.Trim(' ', '\t'), token, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsKey(string? key)
        {
            Span<byte> decoded = stackalloc byte[18];
            return key is { Length: 24 } && Convert.TryFromBase64String(key, decoded, out var written) && written == 16;
        }
    }
}
