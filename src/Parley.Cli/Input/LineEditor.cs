using System.Globalization;
using System.Text;
using Spectre.Console;

namespace Parley.Cli.Input;

/// <summary>What a key did to the line being edited.</summary>
internal enum EditOutcome
{
    /// <summary>Nothing visible changed (an ignored key).</summary>
    None,

    /// <summary>The text or the cursor changed: redraw.</summary>
    Changed,

    /// <summary>Enter: <see cref="LineEditor.Submitted"/> holds the line, and the editor is empty again.</summary>
    Submitted,

    /// <summary>Ctrl-D on an empty line: the user is done.</summary>
    EndOfInput,
}

/// <summary>The visible part of the prompt and line, and the terminal column of the cursor.</summary>
internal readonly record struct RenderedLine(string Text, int CursorColumn);

/// <summary>
/// The chat's line editor as a pure state machine: keys in, text and cursor out, no terminal I/O, so
/// what is shown is exactly what will be sent. The cursor moves by grapheme (an emoji with its
/// modifiers, a letter with combining accents is one step); columns count terminal cells (CJK and
/// emoji take two); control characters are never inserted; Up/Down recall earlier lines.
/// </summary>
internal sealed class LineEditor
{
    /// <summary>The longest line accepted (UTF-16 code units); further characters are ignored.</summary>
    public const int MaxLineLength = 16 * 1024;

    /// <summary>How many sent lines Up/Down can recall.</summary>
    public const int MaxHistory = 200;

    private readonly List<string> _history = [];
    private StringBuilder _text = new();
    private int _historyIndex;
    private string _draft = string.Empty;

    /// <summary>The line as it stands.</summary>
    public string Text => _text.ToString();

    /// <summary>The cursor, as an index into <see cref="Text"/> (always on a grapheme boundary).</summary>
    public int Cursor { get; private set; }

    /// <summary>The line that the last <see cref="EditOutcome.Submitted"/> sent.</summary>
    public string Submitted { get; private set; } = string.Empty;

    /// <summary>The lines Up/Down can recall, oldest first.</summary>
    public IReadOnlyList<string> History => _history;

    /// <summary>Whether the line is a message being written (not empty, not a /command): what "typing" notices report.</summary>
    public bool IsComposingMessage => _text.Length > 0 && _text[0] != '/';

    /// <summary>Applies one key.</summary>
    public EditOutcome Apply(ConsoleKeyInfo key)
    {
        var control = (key.Modifiers & ConsoleModifiers.Control) != 0;
        switch (key.Key)
        {
            case ConsoleKey.Enter:
                return Submit();
            case ConsoleKey.Backspace:
                return DeleteBefore();
            case ConsoleKey.Delete:
                return DeleteAfter();
            case ConsoleKey.LeftArrow:
                return MoveTo(control ? PreviousWordStart() : PreviousBoundary(Cursor));
            case ConsoleKey.RightArrow:
                return MoveTo(control ? NextWordEnd() : NextBoundary(Cursor));
            case ConsoleKey.Home:
                return MoveTo(0);
            case ConsoleKey.End:
                return MoveTo(_text.Length);
            case ConsoleKey.UpArrow:
                return Recall(_historyIndex - 1);
            case ConsoleKey.DownArrow:
                return Recall(_historyIndex + 1);
        }

        if (control)
        {
            return key.Key switch
            {
                ConsoleKey.A => MoveTo(0),
                ConsoleKey.E => MoveTo(_text.Length),
                ConsoleKey.B => MoveTo(PreviousBoundary(Cursor)),
                ConsoleKey.F => MoveTo(NextBoundary(Cursor)),
                ConsoleKey.U => Remove(0, Cursor),
                ConsoleKey.K => Remove(Cursor, _text.Length - Cursor),
                ConsoleKey.W => Remove(PreviousWordStart(), Cursor - PreviousWordStart()),
                ConsoleKey.D => _text.Length == 0 ? EditOutcome.EndOfInput : DeleteAfter(),
                _ => EditOutcome.None,
            };
        }

        return Insert(key.KeyChar);
    }

    /// <summary>
    /// Renders <paramref name="prompt"/> and the line for a terminal <paramref name="width"/> cells wide:
    /// when the line does not fit, it scrolls sideways so the cursor stays visible.
    /// </summary>
    public RenderedLine Render(string prompt, int width)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var promptWidth = prompt.GetCellWidth();
        var room = Math.Max(1, width - promptWidth - 1);
        var clusters = Clusters(Text);
        var cursorCluster = clusters.TakeWhile(c => c.Start < Cursor).Count();

        // Start at the first cluster that keeps the cursor inside the room.
        var first = 0;
        var used = clusters.Take(cursorCluster).Sum(c => c.Width);
        while (used > room && first < cursorCluster)
        {
            used -= clusters[first].Width;
            first++;
        }

        var visible = new StringBuilder(prompt);
        var cells = 0;
        for (var i = first; i < clusters.Count && cells + clusters[i].Width <= room; i++)
        {
            visible.Append(clusters[i].Text);
            cells += clusters[i].Width;
        }

        return new RenderedLine(visible.ToString(), promptWidth + used);
    }

    private EditOutcome Submit()
    {
        Submitted = Text;
        if (Submitted.Trim().Length > 0 && (_history.Count == 0 || _history[^1] != Submitted))
        {
            _history.Add(Submitted);
            if (_history.Count > MaxHistory)
            {
                _history.RemoveAt(0);
            }
        }

        _text = new StringBuilder();
        Cursor = 0;
        _historyIndex = _history.Count;
        _draft = string.Empty;
        return EditOutcome.Submitted;
    }

    private EditOutcome Insert(char c)
    {
        if (char.IsControl(c) || c == '\0' || _text.Length >= MaxLineLength)
        {
            return EditOutcome.None;
        }

        // The cursor sits on a grapheme boundary, so the position after the new character is one too
        // (a combining mark or a surrogate's second half joins the grapheme before it).
        _text.Insert(Cursor, c);
        Cursor++;
        return EditOutcome.Changed;
    }

    private EditOutcome DeleteBefore() => Cursor == 0 ? EditOutcome.None : Remove(PreviousBoundary(Cursor), Cursor - PreviousBoundary(Cursor));

    private EditOutcome DeleteAfter() => Cursor >= _text.Length ? EditOutcome.None : Remove(Cursor, NextBoundary(Cursor) - Cursor);

    private EditOutcome Remove(int start, int length)
    {
        if (length <= 0)
        {
            return EditOutcome.None;
        }

        _text.Remove(start, length);
        Cursor = start;
        return EditOutcome.Changed;
    }

    private EditOutcome MoveTo(int position)
    {
        position = Math.Clamp(position, 0, _text.Length);
        if (position == Cursor)
        {
            return EditOutcome.None;
        }

        Cursor = position;
        return EditOutcome.Changed;
    }

    private EditOutcome Recall(int index)
    {
        if (index < 0 || index > _history.Count || index == _historyIndex)
        {
            return EditOutcome.None;
        }

        if (_historyIndex == _history.Count)
        {
            _draft = Text;
        }

        _historyIndex = index;
        _text = new StringBuilder(index == _history.Count ? _draft : _history[index]);
        Cursor = _text.Length;
        return EditOutcome.Changed;
    }

    private int PreviousBoundary(int position)
    {
        var previous = 0;
        foreach (var cluster in Clusters(Text))
        {
            if (cluster.Start >= position)
            {
                break;
            }

            previous = cluster.Start;
        }

        return previous;
    }

    private int NextBoundary(int position)
    {
        foreach (var cluster in Clusters(Text))
        {
            if (cluster.Start + cluster.Text.Length > position)
            {
                return cluster.Start + cluster.Text.Length;
            }
        }

        return _text.Length;
    }

    private int PreviousWordStart()
    {
        var i = Cursor;
        while (i > 0 && char.IsWhiteSpace(_text[i - 1]))
        {
            i--;
        }

        while (i > 0 && !char.IsWhiteSpace(_text[i - 1]))
        {
            i--;
        }

        return i;
    }

    private int NextWordEnd()
    {
        var i = Cursor;
        while (i < _text.Length && char.IsWhiteSpace(_text[i]))
        {
            i++;
        }

        while (i < _text.Length && !char.IsWhiteSpace(_text[i]))
        {
            i++;
        }

        return i;
    }

    private static List<(int Start, string Text, int Width)> Clusters(string text)
    {
        var clusters = new List<(int, string, int)>();
        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext())
        {
            var element = e.GetTextElement();
            clusters.Add((e.ElementIndex, element, Math.Max(0, element.GetCellWidth())));
        }

        return clusters;
    }
}
