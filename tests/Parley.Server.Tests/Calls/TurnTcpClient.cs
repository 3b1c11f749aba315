using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Parley.Server.Tests.Calls;

/// <summary>
/// The TURN client side of an allocation over TCP (RFC 8656): Allocate with the long-term credential
/// mechanism (the 401 challenge, then the request with USERNAME, REALM, NONCE and MESSAGE-INTEGRITY),
/// CreatePermission and Send/Data indications. Every read is bounded by <see cref="Timeout"/>.
/// </summary>
internal sealed class TurnTcpClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly TcpClient tcp;
    private readonly NetworkStream stream;
    private byte[]? key;
    private string? username;
    private string? realm;
    private string? nonce;

    private TurnTcpClient(TcpClient tcp)
    {
        this.tcp = tcp;
        stream = tcp.GetStream();
    }

    /// <summary>Connects to the TURN server's TCP listener.</summary>
    public static async Task<TurnTcpClient> ConnectAsync(IPEndPoint server)
    {
        var tcp = new TcpClient(AddressFamily.InterNetwork);
        try
        {
            using var timeout = new CancellationTokenSource(Timeout);
            await tcp.ConnectAsync(server, timeout.Token);
            return new TurnTcpClient(tcp);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Asks for a UDP relay with these credentials. Returns the server's final answer: an Allocate
    /// success (whose MESSAGE-INTEGRITY was checked) or the error after the credential was presented.
    /// </summary>
    public async Task<StunMessage> AllocateAsync(string user, string password)
    {
        var challenge = await RequestAsync(NewAllocate(), null);
        Assert.Equal(StunMessage.AllocateError, challenge.Type);
        Assert.Equal(401, challenge.Error);
        realm = challenge.GetString(StunMessage.Realm) ?? throw new InvalidOperationException("401 without REALM");
        nonce = challenge.GetString(StunMessage.Nonce) ?? throw new InvalidOperationException("401 without NONCE");
        username = user;
        key = StunMessage.LongTermKey(user, realm, password);

        var request = NewAllocate().Add(StunMessage.Username, user).Add(StunMessage.Realm, realm).Add(StunMessage.Nonce, nonce);
        var answer = await RequestAsync(request, key);
        if (answer.Type == StunMessage.AllocateSuccess)
        {
            Assert.True(answer.IntegrityVerified, "the relay's success answer did not authenticate under the same key");
        }
        return answer;
    }

    /// <summary>Installs a permission for <paramref name="peer"/> on the allocation (authenticated like Allocate).</summary>
    public async Task<StunMessage> CreatePermissionAsync(IPEndPoint peer)
    {
        var request = new StunMessage(StunMessage.CreatePermissionRequest)
            .Add(StunMessage.XorPeerAddress, StunMessage.XorAddress(peer))
            .Add(StunMessage.Username, username!).Add(StunMessage.Realm, realm!).Add(StunMessage.Nonce, nonce!);
        return await RequestAsync(request, key);
    }

    /// <summary>Sends <paramref name="data"/> to <paramref name="peer"/> through the relay (a Send indication).</summary>
    public async Task SendAsync(IPEndPoint peer, byte[] data)
    {
        var indication = new StunMessage(StunMessage.SendIndication)
            .Add(StunMessage.XorPeerAddress, StunMessage.XorAddress(peer))
            .Add(StunMessage.Data, data);
        using var timeout = new CancellationTokenSource(Timeout);
        await stream.WriteAsync(indication.Encode(), timeout.Token);
    }

    /// <summary>Reads messages until a Data indication arrives; returns it.</summary>
    public async Task<StunMessage> ReceiveDataAsync()
    {
        for (var i = 0; i < 16; i++)
        {
            var message = await ReadAsync(null);
            if (message.Type == StunMessage.DataIndication)
            {
                return message;
            }
        }
        throw new InvalidOperationException("no Data indication among 16 messages");
    }

    public ValueTask DisposeAsync()
    {
        stream.Dispose();
        tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    private static StunMessage NewAllocate() =>
        new StunMessage(StunMessage.AllocateRequest).Add(StunMessage.RequestedTransport, [17, 0, 0, 0]); // UDP

    private async Task<StunMessage> RequestAsync(StunMessage request, byte[]? integrityKey)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await stream.WriteAsync(request.Encode(integrityKey), timeout.Token);
        for (var i = 0; i < 16; i++)
        {
            var answer = await ReadAsync(integrityKey);
            if (answer.TransactionId.AsSpan().SequenceEqual(request.TransactionId))
            {
                return answer;
            }
        }
        throw new InvalidOperationException("no answer to the request among 16 messages");
    }

    private async Task<StunMessage> ReadAsync(byte[]? integrityKey)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var header = new byte[StunMessage.HeaderLength];
        await stream.ReadExactlyAsync(header, timeout.Token);
        var length = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2));
        var message = new byte[StunMessage.HeaderLength + length];
        header.CopyTo(message, 0);
        await stream.ReadExactlyAsync(message.AsMemory(StunMessage.HeaderLength), timeout.Token);
        return StunMessage.Decode(message, integrityKey);
    }
}
