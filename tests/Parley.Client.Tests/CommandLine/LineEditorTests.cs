using Parley.Cli.Input;

namespace Parley.Client.Tests.CommandLine;

/// <summary>The chat line editor as a pure function: keys in, text, cursor and rendered line out.</summary>
public sealed class LineEditorTests
{
    private static ConsoleKeyInfo Key(ConsoleKey key, bool control = false) => new('\0', key, shift: false, alt: false, control: control);

    private static ConsoleKeyInfo Char(char c) => new(c, ConsoleKey.NoName, shift: false, alt: false, control: false);

    private static LineEditor Typed(string text)
    {
        var editor = new LineEditor();
        foreach (var c in text)
        {
            editor.Apply(Char(c));
        }

        return editor;
    }

    [Fact]
    public void Cursor_movement_and_backspace_edit_in_the_middle()
    {
        var editor = Typed("helo");
        editor.Apply(Key(ConsoleKey.LeftArrow));
        editor.Apply(Char('l'));
        Assert.Equal("hello", editor.Text);
        editor.Apply(Key(ConsoleKey.Home));
        editor.Apply(Char('>'));
        editor.Apply(Key(ConsoleKey.End));
        editor.Apply(Key(ConsoleKey.Backspace));
        Assert.Equal(">hell", editor.Text);
        Assert.Equal(EditOutcome.Submitted, editor.Apply(Key(ConsoleKey.Enter)));
        Assert.Equal(">hell", editor.Submitted);
        Assert.Equal(string.Empty, editor.Text);
    }

    [Fact]
    public void Graphemes_move_and_delete_as_one_and_wide_characters_take_two_columns()
    {
        var editor = Typed("a👍🏽é漢");
        Assert.Equal("a👍🏽é漢", editor.Text);
        var rendered = editor.Render("› ", 80);
        Assert.Equal("› a👍🏽é漢", rendered.Text);
        Assert.Equal(2 + 1 + 2 + 1 + 2, rendered.CursorColumn);

        editor.Apply(Key(ConsoleKey.LeftArrow));
        editor.Apply(Key(ConsoleKey.LeftArrow));
        Assert.Equal(2 + 1 + 2, editor.Render("› ", 80).CursorColumn);
        editor.Apply(Key(ConsoleKey.Backspace));
        Assert.Equal("aé漢", editor.Text);
        Assert.Equal(1, editor.Cursor);
    }

    [Fact]
    public void Combining_accents_stay_with_their_letter()
    {
        var editor = Typed("e\u0301x");
        editor.Apply(Key(ConsoleKey.LeftArrow));
        editor.Apply(Key(ConsoleKey.Backspace));
        Assert.Equal("x", editor.Text);
    }

    [Fact]
    public void Control_characters_and_escape_sequences_are_never_inserted()
    {
        var editor = Typed("a\u001b[2Jb\u0007");
        Assert.Equal("a[2Jb", editor.Text);
    }

    [Fact]
    public void Up_and_down_recall_earlier_lines_and_keep_the_draft()
    {
        var editor = Typed("first");
        editor.Apply(Key(ConsoleKey.Enter));
        foreach (var c in "second")
        {
            editor.Apply(Char(c));
        }

        editor.Apply(Key(ConsoleKey.Enter));
        foreach (var c in "draft")
        {
            editor.Apply(Char(c));
        }

        editor.Apply(Key(ConsoleKey.UpArrow));
        Assert.Equal("second", editor.Text);
        editor.Apply(Key(ConsoleKey.UpArrow));
        Assert.Equal("first", editor.Text);
        Assert.Equal(EditOutcome.None, editor.Apply(Key(ConsoleKey.UpArrow)));
        editor.Apply(Key(ConsoleKey.DownArrow));
        editor.Apply(Key(ConsoleKey.DownArrow));
        Assert.Equal("draft", editor.Text);
        Assert.Equal(["first", "second"], editor.History);
    }

    [Fact]
    public void Commands_are_not_composing_a_message()
    {
        Assert.False(Typed("/history 5").IsComposingMessage);
        Assert.True(Typed("hi").IsComposingMessage);
        Assert.False(new LineEditor().IsComposingMessage);
    }

    [Fact]
    public void A_long_line_scrolls_so_the_cursor_stays_visible()
    {
        var editor = Typed(new string('x', 100) + "END");
        var rendered = editor.Render("› ", 40);
        Assert.EndsWith("END", rendered.Text, StringComparison.Ordinal);
        Assert.True(rendered.CursorColumn < 40);
        editor.Apply(Key(ConsoleKey.Home));
        rendered = editor.Render("› ", 40);
        Assert.Equal(2, rendered.CursorColumn);
        Assert.StartsWith("› xxx", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_line_is_capped_at_its_limit()
    {
        var editor = Typed(new string('a', LineEditor.MaxLineLength));
        Assert.Equal(EditOutcome.None, editor.Apply(Char('b')));
        Assert.Equal(LineEditor.MaxLineLength, editor.Text.Length);
    }

    [Fact]
    public void Ctrl_d_ends_only_an_empty_line_and_ctrl_w_deletes_a_word()
    {
        var editor = Typed("one two");
        editor.Apply(Key(ConsoleKey.W, control: true));
        Assert.Equal("one ", editor.Text);
        Assert.Equal(EditOutcome.None, editor.Apply(Key(ConsoleKey.D, control: true)));
        editor.Apply(Key(ConsoleKey.U, control: true));
        Assert.Equal(EditOutcome.EndOfInput, editor.Apply(Key(ConsoleKey.D, control: true)));
    }
}
