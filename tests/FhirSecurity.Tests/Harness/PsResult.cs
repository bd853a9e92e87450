using System.Collections;
using System.Management.Automation;
using System.Text;

namespace FhirSecurity.Tests.Harness;

/// <summary>Everything one <see cref="PsSession.Run"/> produced.</summary>
public sealed class PsResult
{
    internal PsResult(
        IReadOnlyList<PSObject> output,
        IReadOnlyList<ErrorRecord> errors,
        IReadOnlyList<WarningRecord> warnings,
        IReadOnlyList<VerboseRecord> verbose,
        IReadOnlyList<DebugRecord> debug,
        IReadOnlyList<InformationRecord> information,
        string hostText,
        ErrorRecord? terminatingError)
    {
        Output = output;
        Errors = errors;
        Warnings = warnings;
        Verbose = verbose;
        Debug = debug;
        Information = information;
        HostText = hostText;
        TerminatingError = terminatingError;
    }

    /// <summary>The output objects (nulls left out).</summary>
    public IReadOnlyList<PSObject> Output { get; }

    /// <summary>Every error record: the non-terminating ones, then the terminating one if the script stopped.</summary>
    public IReadOnlyList<ErrorRecord> Errors { get; }

    /// <summary>
    /// The error that stopped the whole script (also the last of <see cref="Errors"/>), or null. A cmdlet's
    /// ThrowTerminatingError stops only its statement and lands in <see cref="Errors"/> alone, unless the script set
    /// $ErrorActionPreference = 'Stop' (a non-terminating error with -ErrorAction Stop also stops the script).
    /// </summary>
    public ErrorRecord? TerminatingError { get; }

    /// <summary>The warning stream.</summary>
    public IReadOnlyList<WarningRecord> Warnings { get; }

    /// <summary>The verbose stream.</summary>
    public IReadOnlyList<VerboseRecord> Verbose { get; }

    /// <summary>The debug stream.</summary>
    public IReadOnlyList<DebugRecord> Debug { get; }

    /// <summary>The information stream.</summary>
    public IReadOnlyList<InformationRecord> Information { get; }

    /// <summary>What the host UI received (Out-Default output, host writes).</summary>
    public string HostText { get; }

    /// <summary>The FullyQualifiedErrorId of every error, in order.</summary>
    public IReadOnlyList<string> ErrorIds => Errors.Select(error => error.FullyQualifiedErrorId).ToList();

    /// <summary>The output's base objects.</summary>
    public IReadOnlyList<object> BaseOutput => Output.Select(item => item.BaseObject).ToList();

    /// <summary>
    /// Every text this run exposed, for "the secret never leaks" checks: all streams, each error record's messages
    /// (inner exceptions too), FullyQualifiedErrorId, target object, error details and script stack trace, each output
    /// object's ToString() and property values (one level into collections), and the host text.
    /// </summary>
    public string AllText()
    {
        var text = new StringBuilder();
        foreach (ErrorRecord error in Errors)
        {
            text.AppendLine(error.ToString());
            for (Exception? ex = error.Exception; ex is not null; ex = ex.InnerException)
            {
                text.AppendLine(ex.GetType().FullName).AppendLine(ex.Message);
                if (ex is IContainsErrorRecord { ErrorRecord: { } inner } && !ReferenceEquals(inner, error))
                {
                    text.AppendLine(inner.ToString()).AppendLine(inner.ErrorDetails?.Message);
                }
            }

            text.AppendLine(error.FullyQualifiedErrorId)
                .AppendLine(error.TargetObject?.ToString())
                .AppendLine(error.ErrorDetails?.Message)
                .AppendLine(error.ErrorDetails?.RecommendedAction)
                .AppendLine(error.CategoryInfo.ToString())
                .AppendLine(error.ScriptStackTrace);
        }

        foreach (WarningRecord record in Warnings)
        {
            text.AppendLine(record.Message);
        }

        foreach (VerboseRecord record in Verbose)
        {
            text.AppendLine(record.Message);
        }

        foreach (DebugRecord record in Debug)
        {
            text.AppendLine(record.Message);
        }

        foreach (InformationRecord record in Information)
        {
            text.AppendLine(record.MessageData?.ToString());
        }

        foreach (PSObject item in Output)
        {
            text.AppendLine(item.ToString());
            foreach (PSPropertyInfo property in item.Properties)
            {
                AppendValue(text, ReadProperty(property));
            }
        }

        text.Append(HostText);
        return text.ToString();
    }

    private static object? ReadProperty(PSPropertyInfo property)
    {
        try
        {
            return property.Value;
        }
        catch (Exception ex) when (ex is GetValueException or ExtendedTypeSystemException or InvalidOperationException)
        {
            return null;
        }
    }

    private static void AppendValue(StringBuilder text, object? value)
    {
        value = value is PSObject wrapped ? wrapped.BaseObject : value;
        text.AppendLine(value?.ToString());
        switch (value)
        {
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    text.AppendLine(entry.Key?.ToString()).AppendLine(entry.Value?.ToString());
                }

                break;
            case IEnumerable items when value is not string:
                foreach (object? item in items)
                {
                    text.AppendLine(item?.ToString());
                }

                break;
        }
    }
}
