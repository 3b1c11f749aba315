using System.Diagnostics.CodeAnalysis;
using Parley.Crypto.Ratchet;

namespace Parley.Crypto.Session;

/// <summary>
/// Everything stored for one contact (docs/PROTOCOL.md section 6.4): the current session state and
/// up to <see cref="MaxPreviousStates"/> earlier ones, newest first. Earlier states let messages still
/// in flight from a replaced session decrypt, and resolve both sides starting a session at once:
/// whichever state decrypts a message becomes current.
/// Layout: version (u8 = 1) || count (u8) || count × (state length (u32) || state).
/// </summary>
internal sealed class SessionRecord : IDisposable
{
    internal const byte Version = 1;

    /// <summary>Earlier session states kept per contact.</summary>
    internal const int MaxPreviousStates = SessionLimits.MaxPreviousSessionStates;

    private readonly List<SessionState> _states;

    private SessionRecord(List<SessionState> states) => _states = states;

    internal SessionState Current => _states[0];

    internal IReadOnlyList<SessionState> States => _states;

    internal static SessionRecord Create(SessionState state) => new([state]);

    /// <summary>Makes <paramref name="state"/> current, keeping the others as earlier states (oldest dropped).</summary>
    internal void Promote(SessionState state)
    {
        _states.Remove(state);
        _states.Insert(0, state);
        while (_states.Count > MaxPreviousStates + 1)
        {
            _states[^1].Dispose();
            _states.RemoveAt(_states.Count - 1);
        }
    }

    internal byte[] Serialize()
    {
        using var writer = new StateWriter();
        writer.Byte(Version);
        writer.Byte((byte)_states.Count);
        foreach (SessionState state in _states)
        {
            byte[] bytes = state.Serialize();
            writer.UInt32((uint)bytes.Length);
            writer.Bytes(bytes);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
        }

        return writer.ToArray();
    }

    internal static bool TryParse(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out SessionRecord? record)
    {
        record = null;
        var reader = new StateReader(bytes);
        if (!reader.Byte(out byte version) || version != Version ||
            !reader.Byte(out byte count) || count == 0 || count > MaxPreviousStates + 1)
        {
            return false;
        }

        var states = new List<SessionState>(count);
        for (int i = 0; i < count; i++)
        {
            if (!reader.UInt32(out uint length) || length > int.MaxValue || !reader.Bytes((int)length, out ReadOnlySpan<byte> stateBytes) ||
                !SessionState.TryParse(stateBytes, out SessionState? state))
            {
                states.ForEach(s => s.Dispose());
                return false;
            }

            states.Add(state);
        }

        if (!reader.AtEnd)
        {
            states.ForEach(s => s.Dispose());
            return false;
        }

        record = new SessionRecord(states);
        return true;
    }

    public void Dispose() => _states.ForEach(s => s.Dispose());
}

/// <summary>Named bounds of the session layer (docs/PROTOCOL.md sections 6 and 11).</summary>
public static class SessionLimits
{
    /// <summary>Earlier session states kept per contact besides the current one.</summary>
    public const int MaxPreviousSessionStates = 5;
}
