using System.Management.Automation.Host;

namespace FhirSecurity.Demo;

/// <summary>
/// Only what Out-Default asks for: the width to format tables to. Without it, views fall back to 80 columns and
/// the connection table loses its last columns.
/// </summary>
internal sealed class ConsoleRawUserInterface : PSHostRawUserInterface
{
    // Redirected output has no window; 120 columns fits every view the module ships.
    private static readonly int s_width = !Console.IsOutputRedirected && Console.WindowWidth > 0 ? Console.WindowWidth : 120;

    public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

    public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

    public override Size BufferSize { get; set; } = new(s_width, 3000);

    public override Coordinates CursorPosition { get; set; }

    public override int CursorSize { get; set; } = 1;

    public override bool KeyAvailable => false;

    public override Size MaxPhysicalWindowSize => new(s_width, 50);

    public override Size MaxWindowSize => new(s_width, 50);

    public override Coordinates WindowPosition { get; set; }

    public override Size WindowSize { get; set; } = new(s_width, 50);

    public override string WindowTitle { get; set; } = "FhirSecurity.Demo";

    public override void FlushInputBuffer()
    {
    }

    public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();

    public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException("The demo host is not interactive.");

    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill)
    {
    }

    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents)
    {
    }

    public override void SetBufferContents(Rectangle rectangle, BufferCell fill)
    {
    }
}
