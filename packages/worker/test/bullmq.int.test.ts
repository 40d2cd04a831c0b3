/** The adapter conformance suite against the machine's real server (a namespace per test, removed after). */
import { describeConformance } from './conformance/suite.js';
import { bullmqTarget } from './conformance/targets.js';

describeConformance(bullmqTarget);
