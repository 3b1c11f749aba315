namespace Parley.Client.Calls;

/// <summary>The two DTLS fingerprints of a connected call (<see cref="CallStateMachine.ConnectedFingerprints"/>).</summary>
/// <param name="CallId">The call.</param>
/// <param name="Peer">The contact.</param>
/// <param name="Local">This side's certificate fingerprint, as signalled.</param>
/// <param name="Remote">The contact's, as signalled and as the media's DTLS showed it.</param>
public sealed record CallFingerprints(CallId CallId, string Peer, DtlsFingerprint Local, DtlsFingerprint Remote);

/// <summary>What the call view shows as the call's identity checks (docs/PROTOCOL.md 10B.5).</summary>
/// <param name="CallId">The call.</param>
/// <param name="Verified">The contact's safety number was verified (and their key has not changed since).</param>
/// <param name="ShortCode">The code both sides read aloud (<see cref="CallShortCode"/>), once media connected; null before.</param>
public sealed record CallVerification(CallId CallId, bool Verified, string? ShortCode);
