using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace FhirSecurity.Tests.Harness;

/// <summary>Records every write; refuses every read, so a test never hangs on a prompt.</summary>
internal sealed class CapturingHostUserInterface : PSHostUserInterface
{
    private readonly StringBuilder _text = new();
    private readonly object _gate = new();

    public override PSHostRawUserInterface RawUI { get; } = new CapturingRawUserInterface();

    public string Take()
    {
        lock (_gate)
        {
            string text = _text.ToString();
            _text.Clear();
            return text;
        }
    }

    public override void Write(string value) => Append(value);

    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Append(value);

    public override void WriteLine(string value) => Append(value + "\n");

    public override void WriteErrorLine(string value) => Append(value + "\n");

    public override void WriteDebugLine(string message) => Append("DEBUG: " + message + "\n");

    public override void WriteVerboseLine(string message) => Append("VERBOSE: " + message + "\n");

    public override void WriteWarningLine(string message) => Append("WARNING: " + message + "\n");

    public override void WriteInformation(InformationRecord record) => Append(record.MessageData?.ToString() + "\n");

    public override void WriteProgress(long sourceId, ProgressRecord record) => Append("PROGRESS: " + record + "\n");

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
        => throw NotInteractive();

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        => throw NotInteractive();

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName)
        => throw NotInteractive();

    public override PSCredential PromptForCredential(
        string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options)
        => throw NotInteractive();

    public override string ReadLine() => throw NotInteractive();

    public override SecureString ReadLineAsSecureString() => throw NotInteractive();

    // The engine turns this exception type (what pwsh -NonInteractive throws) into MissingMandatoryParameter.
    private static PSInvalidOperationException NotInteractive() => new("The test host is not interactive: read and prompt are not available.");

    private void Append(string value)
    {
        lock (_gate)
        {
            _text.Append(value);
        }
    }
}
