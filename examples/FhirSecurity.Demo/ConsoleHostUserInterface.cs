using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace FhirSecurity.Demo;

/// <summary>Writes to the console; refuses every read (the demo has nobody to answer a prompt).</summary>
internal sealed class ConsoleHostUserInterface : PSHostUserInterface
{
    public override PSHostRawUserInterface RawUI { get; } = new ConsoleRawUserInterface();

    // Colour only where a terminal will render it; redirected to a file, escape codes would be noise.
    public override bool SupportsVirtualTerminal => !Console.IsOutputRedirected;

    public override void Write(string value) => Console.Write(Plain(value));

    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Console.Write(Plain(value));

    public override void WriteLine(string value) => Console.WriteLine(Plain(value));

    public override void WriteErrorLine(string value) => Console.Error.WriteLine(Plain(value));

    public override void WriteDebugLine(string message) => Console.WriteLine("DEBUG: " + Plain(message));

    public override void WriteVerboseLine(string message) => Console.WriteLine("VERBOSE: " + Plain(message));

    public override void WriteWarningLine(string message) => Console.WriteLine("WARNING: " + Plain(message));

    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
        // Progress bars redraw in place; in a plain stream of lines they would only be noise.
    }

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw NotInteractive();

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => throw NotInteractive();

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw NotInteractive();

    public override PSCredential PromptForCredential(
        string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options)
        => throw NotInteractive();

    public override string ReadLine() => throw NotInteractive();

    public override SecureString ReadLineAsSecureString() => throw NotInteractive();

    // Format views colour their headers; the engine leaves it to the host to drop the escape codes where they would not render.
    private string Plain(string text) => GetOutputString(text, SupportsVirtualTerminal);

    // The engine turns this exception type into a plain "missing parameter" error rather than a crash.
    private static PSInvalidOperationException NotInteractive() => new("The demo host is not interactive.");
}
