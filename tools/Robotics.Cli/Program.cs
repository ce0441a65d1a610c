using Robotics.Cli;

return await RoboticsCommandLine.Build().Parse(args).InvokeAsync();
