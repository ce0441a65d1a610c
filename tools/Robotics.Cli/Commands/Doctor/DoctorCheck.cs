namespace Robotics.Cli.Commands.Doctor;

/// <summary>One line of the doctor's report. A failed required check makes the command exit non-zero.</summary>
public sealed record DoctorCheck(string Name, bool Ok, string Detail, bool Required = true);
