using Parley.Client.Messaging;

namespace Parley.Client.Storage;

/// <summary>What a conversation list shows of one conversation: its latest stored message and how many incoming messages were not shown yet.</summary>
/// <param name="Last">The message stored last (its <see cref="StoredMessage.Peer"/> names the conversation).</param>
/// <param name="Unread">Incoming messages not shown yet.</param>
public sealed record ConversationSummary(StoredMessage Last, int Unread);
