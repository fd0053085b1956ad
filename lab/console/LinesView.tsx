import { Box, Text } from "ink";
import { fitLine, type Line } from "./lines.js";

/**
 * Draws precomputed lines in a box of exactly the frame's size. Lines stop one cell short of the
 * right edge: a character in the last column leaves some terminals waiting to wrap, and the next
 * line would start one row too low.
 */
export function LinesView({ lines, width, height }: { lines: Line[]; width: number; height: number }) {
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {lines.slice(0, height).map((l, i) => (
        <Text key={i} wrap="truncate">
          {l.length === 0 ? " " : fitLine(l, width - 1).map((x, j) => (
            <Text key={j} color={x.color} bold={x.bold} inverse={x.inverse} underline={x.underline}>
              {x.t}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
