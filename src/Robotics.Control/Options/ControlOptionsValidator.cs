using Microsoft.Extensions.Options;
using Robotics.Control.Chunks;
using Robotics.Control.Monitoring;

namespace Robotics.Control.Options;

/// <summary>Checks that data annotations cannot express: registered names exist.</summary>
public sealed class ControlOptionsValidator : IValidateOptions<ControlOptions>
{
    public ValidateOptionsResult Validate(string? name, ControlOptions o)
    {
        var errors = new List<string>();
        if (!ChunkMergeRules.Exists(o.MergeRule))
            errors.Add($"Control:MergeRule '{o.MergeRule}' is not one of {string.Join(", ", ChunkMergeRules.Names)}");
        if (!FailureMonitors.Exists(o.Monitor))
            errors.Add($"Control:Monitor '{o.Monitor}' is not one of {string.Join(", ", FailureMonitors.Names)}");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
