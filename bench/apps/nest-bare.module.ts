import { Module } from '@nestjs/common';
import { BareBenchController } from './bare-bench.controller';

/** NestJS with no guard: the baseline every app is compared with. */
@Module({ controllers: [BareBenchController] })
export class NestBareModule {}
