using Parley.Client.Messaging;

namespace Parley.Client.Storage;

/// <summary>One page of a conversation's history, oldest first, with the cursor for the page before it.</summary>
/// <param name="Messages">The messages, in conversation order.</param>
/// <param name="Older">
/// The cursor for the next older page (the id of this page's earliest stored message), or null when
/// this page reaches the start of the conversation.
/// </param>
public sealed record HistoryPage(IReadOnlyList<StoredMessage> Messages, MessageId? Older);
